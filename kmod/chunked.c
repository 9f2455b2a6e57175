// SPDX-License-Identifier: GPL-2.0
/*
 * The chunked transfer coding (RFC 9112 7.1), decoded byte by byte as a
 * body arrives: sizes, extensions (checked, then ignored), data and
 * trailers, within the body limit.  Plain C: see parser.h.
 */
#include "compat.h"
#include "parser.h"
#include "parsechar.h"

enum {
	CS_SIZE_START = 0,
	CS_SIZE,
	CS_SIZE_WS,
	/* chunk-ext (RFC 9112 7.1.1); all before CS_SIZE_LF, see chunk_ext() */
	CS_EXT_NAME_START,	/* after ';': BWS, then a token */
	CS_EXT_NAME,
	CS_EXT_NAME_WS,		/* BWS after a name: '=' or ';' must follow */
	CS_EXT_VAL_START,	/* after '=': BWS, then a token or quoted-string */
	CS_EXT_VAL_TOKEN,
	CS_EXT_VAL_QUOTED,
	CS_EXT_VAL_QPAIR,	/* after a backslash in a quoted-string */
	CS_EXT_VAL_END,		/* after a value's closing quote */
	CS_EXT_WS,		/* BWS after a value: only ';' may follow */
	CS_SIZE_LF,
	CS_DATA,
	CS_DATA_CR,
	CS_DATA_LF,
	CS_TR_LINE,
	CS_TR_NAME,
	CS_TR_VALUE,
	CS_TR_LF,
	CS_END_LF,
	CS_DONE,
	CS_ERROR,
};

void khttp_chunked_init(struct khttp_chunked *c, u64 max_body)
{
	memset(c, 0, sizeof(*c));
	c->max_body = max_body ? max_body : ~0ULL;
}


static int chunk_fail(struct khttp_chunked *c, u16 status)
{
	c->status = status;
	c->state = CS_ERROR;
	return KHTTP_ERROR;
}

/* qdtext: HTAB, SP, VCHAR except '"' and '\\', obs-text */
static bool is_qdtext(u8 c)
{
	return is_vchar_ws(c) && c != '"' && c != '\\';
}

/*
 * One byte of a chunk's extensions, from the first byte after the size up to
 * the CR:
 *
 *   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-name = token
 *   chunk-ext-val  = token / quoted-string
 *
 * They are ignored, but checked: an empty name or value, a stray character,
 * an unterminated quoted-string or a CR or LF inside one is a 400, since a
 * parser behind us may read such a line differently.  BWS after the size is
 * only allowed before a ';' ("5 \r\n" is refused).  All of it but the CR
 * counts towards KHTTP_CHUNK_EXT_MAX.
 */
static int chunk_ext(struct khttp_chunked *c, u8 ch)
{
	if (ch != '\r' && ++c->ext_len > KHTTP_CHUNK_EXT_MAX)
		return chunk_fail(c, 400);

	switch (c->state) {
	case CS_EXT_NAME_WS:
		if (ch == '=') {
			c->state = CS_EXT_VAL_START;
			break;
		}
		fallthrough;
	case CS_SIZE_WS:
	case CS_EXT_WS:
		if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_NAME_START:
		if (is_tchar(ch))
			c->state = CS_EXT_NAME;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_NAME:
		if (ch == '\r')
			c->state = CS_SIZE_LF;
		else if (ch == '=')
			c->state = CS_EXT_VAL_START;
		else if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (is_ows(ch))
			c->state = CS_EXT_NAME_WS;
		else if (!is_tchar(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_START:
		if (ch == '"')
			c->state = CS_EXT_VAL_QUOTED;
		else if (is_tchar(ch))
			c->state = CS_EXT_VAL_TOKEN;
		else if (!is_ows(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_QUOTED:
		if (ch == '"')
			c->state = CS_EXT_VAL_END;
		else if (ch == '\\')
			c->state = CS_EXT_VAL_QPAIR;
		else if (!is_qdtext(ch))
			return chunk_fail(c, 400);
		break;
	case CS_EXT_VAL_QPAIR:
		/* quoted-pair: "\" ( HTAB / SP / VCHAR / obs-text ) */
		if (!is_vchar_ws(ch))
			return chunk_fail(c, 400);
		c->state = CS_EXT_VAL_QUOTED;
		break;
	case CS_EXT_VAL_TOKEN:
		if (is_tchar(ch))
			break;
		fallthrough;
	case CS_EXT_VAL_END:
		if (ch == '\r')
			c->state = CS_SIZE_LF;
		else if (ch == ';')
			c->state = CS_EXT_NAME_START;
		else if (is_ows(ch))
			c->state = CS_EXT_WS;
		else
			return chunk_fail(c, 400);
		break;
	default:
		return chunk_fail(c, 400);
	}
	return KHTTP_NEED_MORE;
}

/* One framing byte; returns KHTTP_NEED_MORE to go on, DONE or ERROR. */
static int chunk_byte(struct khttp_chunked *c, u8 ch)
{
	int h;

	if (c->state >= CS_TR_LINE && ++c->trailer_len > KHTTP_TRAILER_MAX)
		return chunk_fail(c, 431);

	switch (c->state) {
	case CS_SIZE_START:
		/* empty size or junk: 400 */
		h = hexval(ch);
		if (h < 0)
			return chunk_fail(c, 400);
		c->size = h;
		c->digits = 1;
		c->ext_len = 0;
		c->state = CS_SIZE;
		break;
	case CS_SIZE:
		h = hexval(ch);
		if (h >= 0) {
			/* 16 hex digits fill a u64; more is an attack */
			if (c->digits >= 16)
				return chunk_fail(c, 400);
			c->size = (c->size << 4) | h;
			c->digits++;
		} else if (is_ows(ch) || ch == ';') {
			c->state = CS_SIZE_WS;
			return chunk_ext(c, ch);
		} else if (ch == '\r') {
			c->state = CS_SIZE_LF;
		} else {
			return chunk_fail(c, 400);
		}
		break;
	case CS_SIZE_WS:
	case CS_EXT_NAME_START ... CS_EXT_WS:
		return chunk_ext(c, ch);
	case CS_SIZE_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		if (!c->size) {
			c->state = CS_TR_LINE;
			break;
		}
		if (c->size > c->max_body - c->total)
			return chunk_fail(c, 413);
		c->remaining = c->size;
		c->state = CS_DATA;
		break;
	case CS_DATA_CR:
		if (ch != '\r')
			return chunk_fail(c, 400);
		c->state = CS_DATA_LF;
		break;
	case CS_DATA_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_SIZE_START;
		break;
	case CS_TR_LINE:
		if (ch == '\r')
			c->state = CS_END_LF;
		else if (is_tchar(ch))	/* no obs-fold, no empty name */
			c->state = CS_TR_NAME;
		else
			return chunk_fail(c, 400);
		break;
	case CS_TR_NAME:
		if (ch == ':')
			c->state = CS_TR_VALUE;
		else if (!is_tchar(ch))
			return chunk_fail(c, 400);
		break;
	case CS_TR_VALUE:
		if (ch == '\r')
			c->state = CS_TR_LF;
		else if (!is_vchar_ws(ch))
			return chunk_fail(c, 400);
		break;
	case CS_TR_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_TR_LINE;
		break;
	case CS_END_LF:
		if (ch != '\n')
			return chunk_fail(c, 400);
		c->state = CS_DONE;
		return KHTTP_DONE;
	default:
		return chunk_fail(c, 400);
	}
	return KHTTP_NEED_MORE;
}

int khttp_chunked_feed(struct khttp_chunked *c, const char *buf, size_t len,
		       size_t *used, struct khttp_span *data)
{
	size_t i = 0, n;
	int ret;

	*used = 0;
	if (c->state == CS_DONE)
		return KHTTP_DONE;
	if (c->state == CS_ERROR)
		return KHTTP_ERROR;
	while (i < len) {
		if (c->state == CS_DATA) {
			n = len - i;
			if (n > c->remaining)
				n = c->remaining;
			if (n > 0xffffffffU)
				n = 0xffffffffU;
			data->off = i;
			data->len = n;
			c->remaining -= n;
			c->total += n;
			if (!c->remaining)
				c->state = CS_DATA_CR;
			*used = i + n;
			return KHTTP_DATA;
		}
		ret = chunk_byte(c, buf[i++]);
		if (ret != KHTTP_NEED_MORE) {
			*used = i;
			return ret;
		}
	}
	*used = len;
	return KHTTP_NEED_MORE;
}
