/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ppp-private.h"

static struct ppp *ppp_ipcp_session(struct ppp_fsm *f)
{
	return f->ctx;
}

static int ppp_ipcp_get_addr(struct pkt_reader value, struct in_addr *ret)
{
	if (pkt_remaining(&value) != 4)
		return -EBADMSG;
	/* network byte order on the wire and in struct in_addr alike */
	return pkt_copy_bytes(&value, &ret->s_addr, 4);
}

static void ppp_ipcp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ppp_ipcp_session(f);

	memset(&p->ipcp, 0, sizeof(p->ipcp));
	p->ipcp.want_address = true;
	p->ipcp.want_dns1 = true;
	p->ipcp.want_dns2 = true;
}

static int ppp_ipcp_build_request(struct ppp_fsm *f, struct pkt_writer *w)
{
	struct ppp *p = ppp_ipcp_session(f);
	int err = 0;

	if (p->ipcp.want_address)
		err = ppp_fsm_put_option(w, PPP_IPCP_ADDRESS, &p->ipcp.local.s_addr, 4);
	if (!err && p->ipcp.want_dns1)
		err = ppp_fsm_put_option(w, PPP_IPCP_DNS1, &p->ipcp.dns1.s_addr, 4);
	if (!err && p->ipcp.want_dns2)
		err = ppp_fsm_put_option(w, PPP_IPCP_DNS2, &p->ipcp.dns2.s_addr, 4);
	return err;
}

static enum ppp_fsm_verdict ppp_ipcp_check_option(struct ppp_fsm *f, uint8_t type,
						  struct pkt_reader value, struct pkt_writer *nak)
{
	switch (type) {
	case PPP_IPCP_ADDRESS:
		/* the gateway's own address: whatever it says (0.0.0.0 if it will not say) */
		return pkt_remaining(&value) == 4 ? PPP_OPT_ACK : PPP_OPT_REJ;
	case PPP_IPCP_COMPRESSION: /* no Van Jacobson compression over IPsec */
	case PPP_IPCP_ADDRESSES:   /* RFC 1332 §3.1, deprecated */
	case PPP_IPCP_DNS1:
	case PPP_IPCP_NBNS1:
	case PPP_IPCP_DNS2:
	case PPP_IPCP_NBNS2:
	default:
		return PPP_OPT_REJ;
	}
}

static void ppp_ipcp_peer_begin(struct ppp_fsm *f)
{
	ppp_ipcp_session(f)->ipcp.peer.s_addr = 0;
}

static void ppp_ipcp_apply_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipcp_session(f);

	if (type == PPP_IPCP_ADDRESS)
		(void)ppp_ipcp_get_addr(value, &p->ipcp.peer);
}

static void ppp_ipcp_ack_received(struct ppp_fsm *f)
{
	/* the values we asked for are the values we have */
}

static void ppp_ipcp_nak_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipcp_session(f);
	struct in_addr a;

	if (ppp_ipcp_get_addr(value, &a))
		return;
	switch (type) {
	case PPP_IPCP_ADDRESS:
		p->ipcp.local = a;
		p->ipcp.want_address = true;
		break;
	case PPP_IPCP_DNS1:
		p->ipcp.dns1 = a;
		p->ipcp.want_dns1 = true;
		break;
	case PPP_IPCP_DNS2:
		p->ipcp.dns2 = a;
		p->ipcp.want_dns2 = true;
		break;
	default:
		break;
	}
}

static void ppp_ipcp_reject_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipcp_session(f);

	switch (type) {
	case PPP_IPCP_ADDRESS:
		/* then it has none for us: ppp_network_up says so */
		p->ipcp.want_address = false;
		p->ipcp.local.s_addr = 0;
		break;
	case PPP_IPCP_DNS1:
		p->ipcp.want_dns1 = false;
		p->ipcp.dns1.s_addr = 0;
		break;
	case PPP_IPCP_DNS2:
		p->ipcp.want_dns2 = false;
		p->ipcp.dns2.s_addr = 0;
		break;
	default:
		break;
	}
}

static void ppp_ipcp_up(struct ppp_fsm *f)
{
	ppp_network_up(ppp_ipcp_session(f));
}

static void ppp_ipcp_down(struct ppp_fsm *f)
{
	ppp_network_down(ppp_ipcp_session(f));
}

static void ppp_ipcp_finished(struct ppp_fsm *f)
{
	ppp_network_finished(ppp_ipcp_session(f));
}

const struct ppp_fsm_callbacks ppp_ipcp_callbacks = {
	.name = "IPCP",
	.protocol = PPP_PROTO_IPCP,
	.reset = ppp_ipcp_reset,
	.build_request = ppp_ipcp_build_request,
	.check_option = ppp_ipcp_check_option,
	.peer_begin = ppp_ipcp_peer_begin,
	.apply_option = ppp_ipcp_apply_option,
	.ack_received = ppp_ipcp_ack_received,
	.nak_option = ppp_ipcp_nak_option,
	.reject_option = ppp_ipcp_reject_option,
	.up = ppp_ipcp_up,
	.down = ppp_ipcp_down,
	.started = NULL,
	.finished = ppp_ipcp_finished,
	.extra_code = NULL,
	.code_rejected = NULL,
};
