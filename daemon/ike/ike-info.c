/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Informational exchanges after phase 1 (RFC 2409 §5.7): HASH(1)-protected notifications and
 * deletes, each message with its own IV (hash of the last phase-1 block and its M-ID). They
 * are one-way: nobody retransmits them, and DPD (RFC 3706) is built on top as its own
 * request and acknowledgement.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "ike-payload-delete.h"
#include "ike-payload-notify.h"
#include "ike-payload-sa.h"
#include "ike-sa-private.h"
#include "secret.h"

int ike_info_send(struct ike_sa *sa, int (*write)(struct pkt_writer *w, struct ike_chain *c,
						  const void *arg),
		  const void *arg)
{
	struct ike_header h = {
		.version = IKE_VERSION_1_0,
		.exchange = IKE_EXCH_INFORMATIONAL,
		.flags = IKE_FLAG_ENCRYPTION,
	};
	uint8_t buf[1024], mid_b[4], iv[CRYPTO_CBC_MAX_BLOCK];
	struct pkt_writer w;
	struct ike_chain c;
	size_t hash_off;
	int err;

	do {
		err = sa->ops->random(sa->user, mid_b, sizeof(mid_b));
		h.message_id = (uint32_t)mid_b[0] << 24 | mid_b[1] << 16 | mid_b[2] << 8 | mid_b[3];
	} while (!err && h.message_id == 0);
	memcpy(h.icookie, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(h.rcookie, sa->cky_r, IKE_COOKIE_LEN);
	err = err ?: ike_keymat_phase2_iv(&sa->km, sa->iv, h.message_id, iv);
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	err = err ?: ike_header_write(&w, &h);
	ike_chain_init(&c, 16);
	hash_off = pkt_writer_len(&w);
	err = err ?: ike_payload_begin(&w, &c, IKE_PAYLOAD_HASH);
	err = err ?: pkt_put_zeros(&w, sa->km.prf_len);
	err = err ?: ike_payload_end(&w, &c);
	err = err ?: write(&w, &c, arg);
	err = err ?: ike_sa_seal(sa, &w, hash_off, mid_b, sizeof(mid_b), iv);
	if (!err)
		sa->ops->send(sa->user, buf, pkt_writer_len(&w), sa->floated);
	roadie_wipe(buf, sizeof(buf));
	return err;
}

/* R-U-THERE-ACK (RFC 3706 §5.2): same cookies as SPI, the request's sequence number back. */
struct ike_info_dpd {
	uint8_t spi[2 * IKE_COOKIE_LEN];
	uint8_t seq[4];
	uint16_t type;
};

static int ike_info_write_dpd(struct pkt_writer *w, struct ike_chain *c, const void *arg)
{
	const struct ike_info_dpd *d = arg;

	return ike_notify_write(w, c, IKE_PROTO_ISAKMP, d->type, d->spi, sizeof(d->spi), d->seq,
				sizeof(d->seq));
}

static void ike_info_notify(struct ike_sa *sa, const struct ike_notify *n, uint64_t now)
{
	char name[32], text[96];

	switch (n->type) {
	case IKE_N_DPD_R_U_THERE: {
		struct ike_info_dpd ack = { .type = IKE_N_DPD_R_U_THERE_ACK };
		struct pkt_reader data = n->data;

		if (n->spi_len != sizeof(ack.spi) || pkt_copy_bytes(&data, ack.seq, 4)) {
			ike_sa_drop(sa, IKE_DROP_MALFORMED);
			return;
		}
		memcpy(ack.spi, n->spi, sizeof(ack.spi));
		(void)ike_info_send(sa, ike_info_write_dpd, &ack);
		return;
	}
	case IKE_N_DPD_R_U_THERE_ACK: {
		struct pkt_reader data = n->data;
		uint32_t seq;

		if (pkt_get_be32(&data, &seq)) {
			ike_sa_drop(sa, IKE_DROP_MALFORMED);
			return;
		}
		ike_sa_dpd_ack(sa, seq, now);
		return;
	}
	default:
		break;
	}
	/* An authenticated refusal of the Quick Mode in flight ends it (the ISAKMP SA stays). */
	if (sa->qm && !ike_qm_done(sa->qm) && n->type < 16384) {
		ike_qm_refused(sa, sa->qm, n->type);
		return;
	}
	snprintf(text, sizeof(text), "%s", ike_notify_name(n->type, name, sizeof(name)));
	ike_sa_emit(sa, IKE_EVENT_NOTIFY, text);
}

int ike_info_send_dpd(struct ike_sa *sa, uint32_t seq)
{
	struct ike_info_dpd req = {
		.type = IKE_N_DPD_R_U_THERE,
		.seq = { seq >> 24, seq >> 16, seq >> 8, seq },
	};

	memcpy(req.spi, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(req.spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN);
	return ike_info_send(sa, ike_info_write_dpd, &req);
}

static void ike_info_delete(struct ike_sa *sa, struct ike_delete *d)
{
	const uint8_t *spi;

	while (ike_delete_next_spi(d, &spi) == 1) {
		if (d->protocol == IKE_PROTO_ISAKMP && d->spi_len == 2 * IKE_COOKIE_LEN &&
		    memcmp(spi, sa->cky_i, IKE_COOKIE_LEN) == 0 &&
		    memcmp(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN) == 0) {
			sa->failure = IKE_FAIL_NONE;
			ike_sa_enter_deleted(sa, "the gateway ended the IKE session (DELETE)");
			return;
		}
		if (d->protocol == IKE_PROTO_ESP && d->spi_len == 4) {
			struct ike_child gone = { 0 };
			struct ike_event ev = {
				.type = IKE_EVENT_DELETED,
				.state = sa->state,
				.child = &gone,
				.text = "the gateway deleted an ESP SA",
			};

			/* RFC 2408 §3.15 does not say which side's SPI a delete carries, and
			 * implementations differ: report it as both, the caller matches either */
			gone.spi_out = (uint32_t)spi[0] << 24 | spi[1] << 16 | spi[2] << 8 | spi[3];
			gone.spi_in = gone.spi_out;
			sa->ops->event(sa->user, &ev);
		}
	}
}

void ike_info_receive(struct ike_sa *sa, const uint8_t *data, size_t len, uint64_t now)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	struct ike_header h;
	struct pkt_reader body;
	uint8_t iv[CRYPTO_CBC_MAX_BLOCK], mid_b[4];
	g_autofree uint8_t *copy = NULL;
	unsigned n;
	int err;

	if (ike_message_parse(data, len, &h, &body) != IKE_PARSE_OK ||
	    ike_keymat_phase2_iv(&sa->km, sa->iv, h.message_id, iv)) {
		ike_sa_drop(sa, IKE_DROP_MALFORMED);
		return;
	}
	mid_b[0] = h.message_id >> 24;
	mid_b[1] = h.message_id >> 16;
	mid_b[2] = h.message_id >> 8;
	mid_b[3] = (uint8_t)h.message_id;
	copy = g_memdup2(data, len);
	err = ike_sa_open(sa, copy, len, iv, mid_b, sizeof(mid_b), p, &n);
	if (err) {
		ike_sa_drop(sa, err == -EACCES ? IKE_DROP_BAD_HASH : IKE_DROP_MALFORMED);
		return;
	}
	ike_sa_peer_alive(sa, now); /* authenticated: the gateway is there */
	for (unsigned i = 1; i < n; i++) {
		struct ike_notify notify;
		struct ike_delete del;

		if (p[i].type == IKE_PAYLOAD_NOTIFY && ike_notify_parse(&p[i].body, &notify) == 0)
			ike_info_notify(sa, &notify, now);
		else if (p[i].type == IKE_PAYLOAD_DELETE && ike_delete_parse(&p[i].body, &del) == 0)
			ike_info_delete(sa, &del);
		if (sa->state != IKE_SA_ESTABLISHED)
			break;
	}
}
