/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Character classes and small helpers the plain-C parsers share
 * (parser.c, chunked.c, httpval.c).
 */
#ifndef KHTTP_PARSECHAR_H
#define KHTTP_PARSECHAR_H

static inline bool is_tchar(u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	}
	return false;
}

/* field-value octets: VCHAR, obs-text, SP, HTAB; no other controls */
static inline bool is_vchar_ws(u8 c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Characters of a URI authority (host, port, IP literal); no userinfo. */
static inline bool is_authchar(u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '-': case '.': case '_': case '~': case '!': case '$':
	case '&': case '\'': case '(': case ')': case '*': case '+':
	case ',': case ';': case '=': case ':': case '[': case ']':
	case '%':
		return true;
	}
	return false;
}

static inline u8 lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive compare of @len bytes at @p with lowercase @lit. */
static inline bool ieq(const char *p, size_t len, const char *lit)
{
	size_t i;

	if (len != strlen(lit))
		return false;
	for (i = 0; i < len; i++)
		if (lower(p[i]) != (u8)lit[i])
			return false;
	return true;
}

static inline bool is_ows(u8 c)
{
	return c == ' ' || c == '\t';
}

static inline int hexval(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif /* KHTTP_PARSECHAR_H */
