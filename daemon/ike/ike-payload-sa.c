/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ike-payload-sa.h"

/* Reads the Transform payloads of one proposal into @sa's table. */
static int ike_sa_parse_transforms(struct pkt_reader *r, unsigned count, struct ike_sa_payload *sa)
{
	uint8_t next = IKE_PAYLOAD_TRANSFORM;

	for (unsigned i = 0; i < count; i++) {
		struct pkt_reader body;
		struct ike_transform *t;
		uint8_t reserved;
		uint16_t len, reserved2;

		/* RFC 2408 §3.6: each but the last says "3 (Transform)" next */
		if (next != IKE_PAYLOAD_TRANSFORM || sa->n_transforms == IKE_MAX_TRANSFORMS)
			return -EBADMSG;
		if (pkt_get_u8(r, &next) || pkt_get_u8(r, &reserved) || pkt_get_be16(r, &len) ||
		    len < 8 || pkt_get_sub(r, len - 4, &body))
			return -EBADMSG;
		t = &sa->transforms[sa->n_transforms++];
		if (pkt_get_u8(&body, &t->num) || pkt_get_u8(&body, &t->id) ||
		    pkt_get_be16(&body, &reserved2))
			return -EBADMSG;
		t->attrs = body;
	}
	return next == IKE_PAYLOAD_NONE && pkt_remaining(r) == 0 ? 0 : -EBADMSG;
}

int ike_sa_payload_parse(const struct pkt_reader *body, struct ike_sa_payload *ret)
{
	struct ike_sa_payload sa;
	struct pkt_reader r = *body;
	uint8_t next = IKE_PAYLOAD_PROPOSAL;

	sa.n_proposals = 0;
	sa.n_transforms = 0;
	if (pkt_get_be32(&r, &sa.doi) || sa.doi != IKE_DOI_IPSEC || pkt_get_be32(&r, &sa.situation))
		return -EBADMSG;
	/* RFC 2407 §4.6.1: SIT_IDENTITY_ONLY has no labeled-domain data after it; other
	 * situations (secrecy, integrity) are refused as we cannot honour them. */
	if (sa.situation != IKE_SIT_IDENTITY_ONLY)
		return -EBADMSG;
	while (next == IKE_PAYLOAD_PROPOSAL) {
		struct ike_proposal *p;
		struct pkt_reader pr;
		uint8_t reserved, count;
		uint16_t len;

		if (sa.n_proposals == IKE_MAX_PROPOSALS)
			return -EBADMSG;
		if (pkt_get_u8(&r, &next) || pkt_get_u8(&r, &reserved) || pkt_get_be16(&r, &len) ||
		    len < 8 || pkt_get_sub(&r, len - 4, &pr))
			return -EBADMSG;
		p = &sa.proposals[sa.n_proposals++];
		if (pkt_get_u8(&pr, &p->num) || pkt_get_u8(&pr, &p->protocol) ||
		    pkt_get_u8(&pr, &p->spi_len) || pkt_get_u8(&pr, &count) ||
		    p->spi_len > IKE_MAX_SPI || pkt_copy_bytes(&pr, p->spi, p->spi_len) || count == 0)
			return -EBADMSG;
		p->first = sa.n_transforms;
		p->count = count;
		if (ike_sa_parse_transforms(&pr, count, &sa))
			return -EBADMSG;
	}
	if (next != IKE_PAYLOAD_NONE || sa.n_proposals == 0 || pkt_remaining(&r) != 0)
		return -EBADMSG;
	*ret = sa;
	return 0;
}

int ike_attr_next(struct pkt_reader *attrs, struct ike_attr *ret)
{
	struct pkt_reader r = *attrs;
	struct ike_attr a;
	uint16_t type, value;

	if (pkt_remaining(&r) == 0)
		return 0;
	if (pkt_get_be16(&r, &type) || pkt_get_be16(&r, &value))
		return -EBADMSG;
	/* RFC 2408 §3.3: the AF bit says TV (value in the length field) or TLV */
	a.type = type & 0x7fff;
	a.tv = type & 0x8000;
	a.value = value;
	pkt_reader_init(&a.data, NULL, 0);
	if (!a.tv && pkt_get_sub(&r, value, &a.data))
		return -EBADMSG;
	*attrs = r;
	*ret = a;
	return 1;
}

int ike_attr_u32(const struct ike_attr *attr, uint32_t *ret)
{
	struct pkt_reader r = attr->data;
	uint64_t v = 0;
	uint8_t b;

	if (attr->tv) {
		*ret = attr->value;
		return 0;
	}
	if (pkt_remaining(&r) == 0 || pkt_remaining(&r) > 8)
		return -EBADMSG;
	while (pkt_get_u8(&r, &b) == 0)
		v = v << 8 | b;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

static int ike_p1_integ(uint32_t hash, RoadieInteg *ret)
{
	switch (hash) {
	case IKE_P1_HASH_MD5: *ret = ROADIE_INTEG_MD5; return 0;
	case IKE_P1_HASH_SHA1: *ret = ROADIE_INTEG_SHA1; return 0;
	case IKE_P1_HASH_SHA2_256: *ret = ROADIE_INTEG_SHA2_256; return 0;
	case IKE_P1_HASH_SHA2_384: *ret = ROADIE_INTEG_SHA2_384; return 0;
	case IKE_P1_HASH_SHA2_512: *ret = ROADIE_INTEG_SHA2_512; return 0;
	default: return -ENOTSUP;
	}
}

static int ike_group(uint32_t group, RoadieDhGroup *ret)
{
	switch (group) {
	case ROADIE_DH_MODP1024:
	case ROADIE_DH_MODP1536:
	case ROADIE_DH_MODP2048:
	case ROADIE_DH_MODP3072:
	case ROADIE_DH_MODP4096:
	case ROADIE_DH_ECP256:
	case ROADIE_DH_ECP384:
		*ret = (RoadieDhGroup)group;
		return 0;
	default:
		return -ENOTSUP;
	}
}

/* Life type and duration come in pairs (RFC 2409 appendix A, RFC 2407 §4.5). */
static int ike_life_apply(uint32_t life_type, uint32_t duration, uint32_t *seconds,
			  uint32_t *kilobytes)
{
	switch (life_type) {
	case IKE_LIFE_SECONDS: *seconds = duration; return 0;
	case IKE_LIFE_KILOBYTES: *kilobytes = duration; return 0;
	default: return -EBADMSG;
	}
}

int ike_transform_decode_p1(const struct ike_transform *t, struct ike_p1_transform *ret)
{
	struct ike_p1_transform p = { .suite.integ = ROADIE_INTEG_NONE };
	struct pkt_reader attrs = t->attrs;
	uint32_t encr = 0, hash = 0, group = 0, key_len = 0, life_type = 0, v;
	struct ike_attr a;
	int err;

	if (t->id != IKE_TRANSFORM_KEY_IKE)
		return -ENOTSUP;
	while ((err = ike_attr_next(&attrs, &a)) > 0) {
		if (ike_attr_u32(&a, &v))
			return -EBADMSG;
		switch (a.type) {
		case IKE_P1_ENCRYPTION: encr = v; break;
		case IKE_P1_HASH: hash = v; break;
		case IKE_P1_AUTH_METHOD: p.auth_method = (uint16_t)MIN(v, UINT16_MAX); break;
		case IKE_P1_GROUP: group = v; break;
		case IKE_P1_KEY_LENGTH: key_len = v; break;
		case IKE_P1_LIFE_TYPE: life_type = v; break;
		case IKE_P1_LIFE_DURATION:
			if (ike_life_apply(life_type, v, &p.life_seconds, &p.life_kilobytes))
				return -EBADMSG;
			break;
		default:
			return -ENOTSUP; /* an attribute we do not understand changes the meaning */
		}
	}
	if (err < 0)
		return -EBADMSG;
	switch (encr) {
	case IKE_P1_ENCR_AES_CBC:
		if (key_len != 128 && key_len != 192 && key_len != 256)
			return -ENOTSUP;
		p.suite.encr = ROADIE_ENCR_AES_CBC;
		p.suite.key_bits = (uint16_t)key_len;
		break;
	case IKE_P1_ENCR_3DES:
		if (key_len != 0 && key_len != 192)
			return -ENOTSUP;
		p.suite.encr = ROADIE_ENCR_3DES;
		p.suite.key_bits = 192;
		break;
	default:
		return -ENOTSUP;
	}
	if (ike_p1_integ(hash, &p.suite.integ) || ike_group(group, &p.suite.dh) || !p.auth_method)
		return -ENOTSUP;
	*ret = p;
	return 0;
}

static int ike_p2_integ(uint32_t auth, RoadieInteg *ret)
{
	switch (auth) {
	case IKE_P2_AUTH_HMAC_MD5: *ret = ROADIE_INTEG_MD5; return 0;
	case IKE_P2_AUTH_HMAC_SHA1: *ret = ROADIE_INTEG_SHA1; return 0;
	case IKE_P2_AUTH_HMAC_SHA2_256: *ret = ROADIE_INTEG_SHA2_256; return 0;
	case IKE_P2_AUTH_HMAC_SHA2_384: *ret = ROADIE_INTEG_SHA2_384; return 0;
	case IKE_P2_AUTH_HMAC_SHA2_512: *ret = ROADIE_INTEG_SHA2_512; return 0;
	default: return -ENOTSUP;
	}
}

int ike_transform_decode_p2(const struct ike_transform *t, struct ike_p2_transform *ret)
{
	struct ike_p2_transform p = { .suite.integ = ROADIE_INTEG_NONE };
	struct pkt_reader attrs = t->attrs;
	uint32_t auth = 0, group = 0, key_len = 0, life_type = 0, v;
	bool have_auth = false;
	struct ike_attr a;
	int err;

	while ((err = ike_attr_next(&attrs, &a)) > 0) {
		if (ike_attr_u32(&a, &v))
			return -EBADMSG;
		switch (a.type) {
		case IKE_P2_AUTH_ALG: auth = v; have_auth = true; break;
		case IKE_P2_GROUP: group = v; break;
		case IKE_P2_KEY_LENGTH: key_len = v; break;
		case IKE_P2_ENCAP_MODE: p.encap_mode = (uint16_t)MIN(v, UINT16_MAX); break;
		case IKE_P2_LIFE_TYPE: life_type = v; break;
		case IKE_P2_LIFE_DURATION:
			if (ike_life_apply(life_type, v, &p.life_seconds, &p.life_kilobytes))
				return -EBADMSG;
			break;
		default:
			return -ENOTSUP;
		}
	}
	if (err < 0)
		return -EBADMSG;
	switch (t->id) {
	case IKE_ESP_AES_CBC:
	case IKE_ESP_AES_GCM_16:
		if (key_len != 128 && key_len != 192 && key_len != 256)
			return -ENOTSUP;
		p.suite.encr = t->id == IKE_ESP_AES_CBC ? ROADIE_ENCR_AES_CBC : ROADIE_ENCR_AES_GCM_16;
		p.suite.key_bits = (uint16_t)key_len;
		break;
	case IKE_ESP_3DES:
		p.suite.encr = ROADIE_ENCR_3DES;
		p.suite.key_bits = 192;
		break;
	default:
		return -ENOTSUP;
	}
	/* AEAD has no separate authentication algorithm (RFC 4106 §8.4) */
	if (p.suite.encr == ROADIE_ENCR_AES_GCM_16) {
		if (have_auth)
			return -ENOTSUP;
	} else if (!have_auth || ike_p2_integ(auth, &p.suite.integ)) {
		return -ENOTSUP;
	}
	if (group && ike_group(group, &p.suite.dh))
		return -ENOTSUP;
	*ret = p;
	return 0;
}

static int ike_attr_put_tv(struct pkt_writer *w, uint16_t type, uint16_t value)
{
	return pkt_put_be16(w, 0x8000 | type) || pkt_put_be16(w, value) ? -EMSGSIZE : 0;
}

/* A duration as TV when it fits 16 bits, else as a 4-byte TLV. */
static int ike_attr_put_u32(struct pkt_writer *w, uint16_t type, uint32_t value)
{
	if (value <= UINT16_MAX)
		return ike_attr_put_tv(w, type, (uint16_t)value);
	return pkt_put_be16(w, type) || pkt_put_be16(w, 4) || pkt_put_be32(w, value) ? -EMSGSIZE : 0;
}

static uint16_t ike_p1_hash_value(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE: return 0;
	case ROADIE_INTEG_MD5: return IKE_P1_HASH_MD5;
	case ROADIE_INTEG_SHA1: return IKE_P1_HASH_SHA1;
	case ROADIE_INTEG_SHA2_256: return IKE_P1_HASH_SHA2_256;
	case ROADIE_INTEG_SHA2_384: return IKE_P1_HASH_SHA2_384;
	case ROADIE_INTEG_SHA2_512: return IKE_P1_HASH_SHA2_512;
	}
	return 0;
}

static uint16_t ike_p2_auth_value(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE: return 0;
	case ROADIE_INTEG_MD5: return IKE_P2_AUTH_HMAC_MD5;
	case ROADIE_INTEG_SHA1: return IKE_P2_AUTH_HMAC_SHA1;
	case ROADIE_INTEG_SHA2_256: return IKE_P2_AUTH_HMAC_SHA2_256;
	case ROADIE_INTEG_SHA2_384: return IKE_P2_AUTH_HMAC_SHA2_384;
	case ROADIE_INTEG_SHA2_512: return IKE_P2_AUTH_HMAC_SHA2_512;
	}
	return 0;
}

/* Writes a Transform payload header; the caller appends attributes and patches the length. */
static int ike_transform_begin(struct pkt_writer *w, bool last, uint8_t num, uint8_t id,
			       size_t *ret_start)
{
	*ret_start = pkt_writer_len(w);
	return pkt_put_u8(w, last ? IKE_PAYLOAD_NONE : IKE_PAYLOAD_TRANSFORM) || pkt_put_u8(w, 0) ||
			       pkt_put_be16(w, 0) || pkt_put_u8(w, num) || pkt_put_u8(w, id) ||
			       pkt_put_be16(w, 0) ?
		       -EMSGSIZE :
		       0;
}

static int ike_sub_end(struct pkt_writer *w, size_t start)
{
	size_t len = pkt_writer_len(w) - start;

	return len > UINT16_MAX ? -EMSGSIZE : pkt_set_be16(w, start + 2, (uint16_t)len);
}

static int ike_proposal_begin(struct pkt_writer *w, uint8_t protocol, const uint8_t *spi,
			      uint8_t spi_len, unsigned n, size_t *ret_start)
{
	*ret_start = pkt_writer_len(w);
	return pkt_put_u8(w, IKE_PAYLOAD_NONE) || pkt_put_u8(w, 0) || pkt_put_be16(w, 0) ||
			       pkt_put_u8(w, 1) || pkt_put_u8(w, protocol) || pkt_put_u8(w, spi_len) ||
			       pkt_put_u8(w, (uint8_t)n) || pkt_put_bytes(w, spi, spi_len) ?
		       -EMSGSIZE :
		       0;
}

int ike_sa_write_p1(struct pkt_writer *w, struct ike_chain *c, const RoadieSuite *suites,
		    unsigned n, uint16_t auth_method, uint32_t life_seconds)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;
	size_t prop, tr;
	int err;

	if (n == 0 || n > 255)
		return -EINVAL;
	err = ike_payload_begin(&t, &tc, IKE_PAYLOAD_SA) || pkt_put_be32(&t, IKE_DOI_IPSEC) ||
	      pkt_put_be32(&t, IKE_SIT_IDENTITY_ONLY) ||
	      ike_proposal_begin(&t, IKE_PROTO_ISAKMP, NULL, 0, n, &prop);
	for (unsigned i = 0; !err && i < n; i++) {
		const RoadieSuite *s = &suites[i];

		err = ike_transform_begin(&t, i + 1 == n, (uint8_t)(i + 1), IKE_TRANSFORM_KEY_IKE,
					  &tr) ||
		      ike_attr_put_tv(&t, IKE_P1_ENCRYPTION,
				      s->encr == ROADIE_ENCR_3DES ? IKE_P1_ENCR_3DES :
								    IKE_P1_ENCR_AES_CBC) ||
		      (s->encr == ROADIE_ENCR_AES_CBC &&
		       ike_attr_put_tv(&t, IKE_P1_KEY_LENGTH, s->key_bits)) ||
		      ike_attr_put_tv(&t, IKE_P1_HASH, ike_p1_hash_value(s->integ)) ||
		      ike_attr_put_tv(&t, IKE_P1_AUTH_METHOD, auth_method) ||
		      ike_attr_put_tv(&t, IKE_P1_GROUP, (uint16_t)s->dh) ||
		      ike_attr_put_tv(&t, IKE_P1_LIFE_TYPE, IKE_LIFE_SECONDS) ||
		      ike_attr_put_u32(&t, IKE_P1_LIFE_DURATION, life_seconds) ||
		      ike_sub_end(&t, tr);
	}
	err = err || ike_sub_end(&t, prop) || ike_payload_end(&t, &tc);
	if (err)
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

int ike_sa_write_p2(struct pkt_writer *w, struct ike_chain *c, const RoadieSuite *suites,
		    unsigned n, uint32_t spi, uint16_t encap_mode, RoadieDhGroup pfs_group,
		    uint32_t life_seconds, uint32_t life_kilobytes)
{
	uint8_t spi_bytes[4] = { spi >> 24, spi >> 16, spi >> 8, spi };
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;
	size_t prop, tr;
	int err;

	if (n == 0 || n > 255)
		return -EINVAL;
	err = ike_payload_begin(&t, &tc, IKE_PAYLOAD_SA) || pkt_put_be32(&t, IKE_DOI_IPSEC) ||
	      pkt_put_be32(&t, IKE_SIT_IDENTITY_ONLY) ||
	      ike_proposal_begin(&t, IKE_PROTO_ESP, spi_bytes, 4, n, &prop);
	for (unsigned i = 0; !err && i < n; i++) {
		const RoadieSuite *s = &suites[i];
		uint8_t id = s->encr == ROADIE_ENCR_3DES	   ? IKE_ESP_3DES :
			     s->encr == ROADIE_ENCR_AES_GCM_16 ? IKE_ESP_AES_GCM_16 :
								  IKE_ESP_AES_CBC;

		err = ike_transform_begin(&t, i + 1 == n, (uint8_t)(i + 1), id, &tr) ||
		      ike_attr_put_tv(&t, IKE_P2_LIFE_TYPE, IKE_LIFE_SECONDS) ||
		      ike_attr_put_u32(&t, IKE_P2_LIFE_DURATION, life_seconds) ||
		      (life_kilobytes && (ike_attr_put_tv(&t, IKE_P2_LIFE_TYPE, IKE_LIFE_KILOBYTES) ||
					  ike_attr_put_u32(&t, IKE_P2_LIFE_DURATION, life_kilobytes))) ||
		      (pfs_group != ROADIE_DH_NONE &&
		       ike_attr_put_tv(&t, IKE_P2_GROUP, (uint16_t)pfs_group)) ||
		      ike_attr_put_tv(&t, IKE_P2_ENCAP_MODE, encap_mode) ||
		      (s->integ != ROADIE_INTEG_NONE &&
		       ike_attr_put_tv(&t, IKE_P2_AUTH_ALG, ike_p2_auth_value(s->integ))) ||
		      (s->encr != ROADIE_ENCR_3DES &&
		       ike_attr_put_tv(&t, IKE_P2_KEY_LENGTH, s->key_bits)) ||
		      ike_sub_end(&t, tr);
	}
	err = err || ike_sub_end(&t, prop) || ike_payload_end(&t, &tc);
	if (err)
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}
