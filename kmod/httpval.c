// SPDX-License-Identifier: GPL-2.0
/*
 * Values a response needs from a request, and writes back: the request
 * path normalised (percent-decoding, dot segments), HTTP-dates (RFC 9110
 * 5.6.7) both ways, a Range header against a body's size, and the codings
 * an Accept-Encoding takes.  Plain C: see parser.h.
 */
#include "compat.h"
#include "parser.h"
#include "parsechar.h"

int khttp_path_normalize(const char *in, size_t len, char *out, size_t outsz)
{
	size_t i = 1, o = 1, seg = 1, sl;
	int hi, lo;
	u8 c;

	if (outsz < 2)
		return -ENAMETOOLONG;
	out[0] = '/';
	if (!len) {
		out[1] = '\0';
		return 1;
	}
	if (in[0] != '/')
		return -EINVAL;
	/* invariant: out[0..o) is normalised and out[seg - 1] == '/' */
	for (;;) {
		if (i == len || in[i] == '/') {
			sl = o - seg;
			if (sl == 1 && out[seg] == '.') {
				o = seg;
			} else if (sl == 2 && out[seg] == '.' &&
				   out[seg + 1] == '.') {
				if (seg == 1)
					return -EPERM;
				/* drop "prev/..": back to the '/' before prev */
				o = seg - 1;
				while (out[o - 1] != '/')
					o--;
			} else if (sl && i < len) {
				if (o >= outsz)
					return -ENAMETOOLONG;
				out[o++] = '/';
			}
			if (i == len)
				break;
			i++;
			seg = o;
			continue;
		}
		c = in[i];
		if (c == '%') {
			if (len - i < 3)
				return -EINVAL;
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = hi << 4 | lo;
			if (c == '/')
				return -EINVAL;
			i += 3;
		} else {
			i++;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -EINVAL;
		if (o >= outsz)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	if (o >= outsz)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return o;
}

/* HTTP-date: integer-only civil calendar (H. Hinnant's algorithms) */

static const char wkdays[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static const char *const wkdays_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* days since 1970-01-01 for y >= 1970 */
static u32 days_from_civil(u32 y, u32 m, u32 d)
{
	u32 era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(u32 z, u32 *y, u32 *m, u32 *d)
{
	u32 era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Read exactly @n digits at *@p. */
static bool get_num(const char *s, size_t len, size_t *p, u32 n, u32 *out)
{
	u32 v = 0, k;

	if (len - *p < n)
		return false;
	for (k = 0; k < n; k++) {
		u8 d = s[*p + k] - '0';

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	*p += n;
	*out = v;
	return true;
}

static bool get_lit(const char *s, size_t len, size_t *p, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *p < n || memcmp(s + *p, lit, n))
		return false;
	*p += n;
	return true;
}

static bool get_month(const char *s, size_t len, size_t *p, u32 *m)
{
	u32 k;

	for (k = 0; k < 12; k++) {
		if (get_lit(s, len, p, months[k])) {
			*m = k + 1;
			return true;
		}
	}
	return false;
}

static bool get_time(const char *s, size_t len, size_t *p, u32 *hh, u32 *mm,
		     u32 *ss)
{
	return get_num(s, len, p, 2, hh) && get_lit(s, len, p, ":") &&
	       get_num(s, len, p, 2, mm) && get_lit(s, len, p, ":") &&
	       get_num(s, len, p, 2, ss);
}

int khttp_parse_http_date(const char *s, size_t len, u64 *secs)
{
	static const u8 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	u32 y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, k, dim;
	size_t p = 0;
	bool ok = false;

	for (k = 0; k < 7 && !ok; k++) {
		p = 0;
		if (get_lit(s, len, &p, wkdays_long[k]) &&
		    get_lit(s, len, &p, ", ")) {
			/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
			ok = get_num(s, len, &p, 2, &d) &&
			     get_lit(s, len, &p, "-") &&
			     get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, "-") &&
			     get_num(s, len, &p, 2, &y) &&
			     get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " GMT");
			/* two-digit year: 70..99 are 19xx (epoch starts 1970) */
			y += y >= 70 ? 1900 : 2000;
			break;
		}
		p = 0;
		if (!get_lit(s, len, &p, wkdays[k]))
			continue;
		if (get_lit(s, len, &p, ", ")) {
			/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
			ok = get_num(s, len, &p, 2, &d) &&
			     get_lit(s, len, &p, " ") &&
			     get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, " ") &&
			     get_num(s, len, &p, 4, &y) &&
			     get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " GMT");
		} else if (get_lit(s, len, &p, " ")) {
			/* asctime: Sun Nov  6 08:49:37 1994 */
			ok = get_month(s, len, &p, &m) &&
			     get_lit(s, len, &p, " ");
			if (ok && get_lit(s, len, &p, " "))
				ok = get_num(s, len, &p, 1, &d);
			else if (ok)
				ok = get_num(s, len, &p, 2, &d);
			ok = ok && get_lit(s, len, &p, " ") &&
			     get_time(s, len, &p, &hh, &mm, &ss) &&
			     get_lit(s, len, &p, " ") &&
			     get_num(s, len, &p, 4, &y);
		}
		break;
	}
	if (!ok || p != len || y < 1970 || m < 1 || m > 12 || hh > 23 ||
	    mm > 59 || ss > 59)
		return -EINVAL;
	dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d < 1 || d > dim)
		return -EINVAL;
	*secs = (u64)days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 +
		ss;
	return 0;
}

static void put2(char *p, u32 v)
{
	p[0] = '0' + v / 10;
	p[1] = '0' + v % 10;
}

void khttp_http_date(u64 secs, char out[30])
{
	/* 9999-12-31T23:59:59Z: the format has four year digits */
	const u64 max = 253402300799ULL;
	u32 days, rem, y, m, d;

	if (secs > max)
		secs = max;
	/* 64-bit division: fine on the 64-bit kernels khttp targets */
	days = secs / 86400;
	rem = secs - (u64)days * 86400;
	civil_from_days(days, &y, &m, &d);
	memcpy(out, wkdays[(days + 4) % 7], 3);	/* 1970-01-01 was Thu */
	out[3] = ',';
	out[4] = ' ';
	put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, months[m - 1], 3);
	out[11] = ' ';
	put2(out + 12, y / 100);
	put2(out + 14, y % 100);
	out[16] = ' ';
	put2(out + 17, rem / 3600);
	out[19] = ':';
	put2(out + 20, rem / 60 % 60);
	out[22] = ':';
	put2(out + 23, rem % 60);
	memcpy(out + 25, " GMT", 5);	/* with the NUL */
}

/* Range */

/* Parse 1*DIGIT at *@p; false on none or u64 overflow. */
static bool get_u64(const char *v, size_t len, size_t *p, u64 *out)
{
	size_t i = *p;
	u64 n = 0;

	while (i < len && v[i] >= '0' && v[i] <= '9') {
		u8 d = v[i] - '0';

		if (n > (~0ULL - d) / 10)
			return false;
		n = n * 10 + d;
		i++;
	}
	if (i == *p)
		return false;
	*p = i;
	*out = n;
	return true;
}

enum khttp_range_result khttp_range_parse(const char *v, size_t len, u64 size,
					  u64 *start, u64 *end)
{
	size_t p = 6, i;
	u64 a, b;

	if (len < 6 || !ieq(v, 6, "bytes="))
		return KHTTP_RANGE_IGNORE;
	for (i = p; i < len; i++)
		if (v[i] == ',')	/* multiple ranges: serve it all */
			return KHTTP_RANGE_IGNORE;
	while (p < len && is_ows(v[p]))
		p++;
	while (len > p && is_ows(v[len - 1]))
		len--;

	if (p < len && v[p] == '-') {
		/* suffix-range: the last n bytes */
		p++;
		if (!get_u64(v, len, &p, &a) || p != len)
			return KHTTP_RANGE_IGNORE;
		if (!a || !size)
			return KHTTP_RANGE_UNSATISFIABLE;
		if (a > size)
			a = size;
		*start = size - a;
		*end = size - 1;
		return KHTTP_RANGE_OK;
	}
	if (!get_u64(v, len, &p, &a) || p == len || v[p] != '-')
		return KHTTP_RANGE_IGNORE;
	p++;
	b = ~0ULL;
	if (p < len && (!get_u64(v, len, &p, &b) || p != len))
		return KHTTP_RANGE_IGNORE;
	if (b < a)
		return KHTTP_RANGE_IGNORE;
	if (a >= size)
		return KHTTP_RANGE_UNSATISFIABLE;
	*start = a;
	*end = b < size - 1 ? b : size - 1;
	return KHTTP_RANGE_OK;
}

/* A qvalue in thousandths (RFC 9110 12.4.2), or -1 if malformed. */
static int khttp_qvalue(const char *v, size_t len)
{
	size_t i;
	int q;

	if (!len || (v[0] != '0' && v[0] != '1'))
		return -1;
	q = (v[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (v[1] != '.' || len > 5)
		return -1;
	for (i = 2; i < 5; i++) {
		int d = i < len ? v[i] - '0' : 0;

		if (i < len && (v[i] < '0' || v[i] > '9'))
			return -1;
		q += d * (i == 2 ? 100 : i == 3 ? 10 : 1);
	}
	return q > 1000 ? -1 : q;
}

/*
 * Accept-Encoding (RFC 9110 12.5.3), for the codings static files may have
 * precompressed: KHTTP_AE_GZIP and _BR when acceptable (q > 0), and
 * _GZIP_FIRST when both are and gzip has the higher q.
 * A coding named twice counts as first named; an element with a malformed
 * qvalue or parameter counts as absent.
 */
u8 khttp_accept_encoding(const char *v, size_t len)
{
	int qg = -1, qb = -1, qs = -1, *slot;
	size_t i = 0, ts, te, ns, ne, vs;
	bool bad;
	int q;
	u8 m = 0;

	while (i < len) {
		while (i < len && (is_ows(v[i]) || v[i] == ','))
			i++;
		ts = i;
		while (i < len && v[i] != ',' && v[i] != ';' && !is_ows(v[i]))
			i++;
		te = i;
		q = 1000;
		bad = false;
		while (i < len && v[i] != ',') {
			if (is_ows(v[i])) {
				i++;
				continue;
			}
			if (v[i] != ';') {
				bad = true;
				i++;
				continue;
			}
			i++;
			while (i < len && is_ows(v[i]))
				i++;
			ns = i;
			while (i < len && v[i] != '=' && v[i] != ';' &&
			       v[i] != ',' && !is_ows(v[i]))
				i++;
			ne = i;
			if (i >= len || v[i] != '=') {
				bad = true;
				continue;
			}
			vs = ++i;
			while (i < len && v[i] != ';' && v[i] != ',' &&
			       !is_ows(v[i]))
				i++;
			if (ieq(v + ns, ne - ns, "q")) {
				q = khttp_qvalue(v + vs, i - vs);
				if (q < 0)
					bad = true;
			}
		}
		if (bad || te == ts)
			continue;
		if (ieq(v + ts, te - ts, "gzip") ||
		    ieq(v + ts, te - ts, "x-gzip"))
			slot = &qg;
		else if (ieq(v + ts, te - ts, "br"))
			slot = &qb;
		else if (te - ts == 1 && v[ts] == '*')
			slot = &qs;
		else
			continue;
		if (*slot < 0)
			*slot = q;
	}
	if (qg < 0)
		qg = qs;
	if (qb < 0)
		qb = qs;
	if (qg > 0)
		m |= KHTTP_AE_GZIP;
	if (qb > 0)
		m |= KHTTP_AE_BR;
	if (qg > 0 && qb > 0 && qg > qb)
		m |= KHTTP_AE_GZIP_FIRST;
	return m;
}
