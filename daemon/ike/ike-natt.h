/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT traversal in IKE (RFC 3947, and the drafts gateways still speak).
 *
 * Both sides announce the NAT-T versions they speak in Vendor IDs; the newest both know is
 * used, and it decides the payload numbers (NAT-D 20 or 130, NAT-OA 21 or 131) and the
 * encapsulation modes of Quick Mode (3/4 or 61443/61444).
 *
 * NAT detection (§3.2): in Main Mode messages 3 and 4 each side sends
 *   NAT-D = HASH(CKY-I | CKY-R | IP | Port)
 * first for the address it sends to, then for each address it sends from. The receiver
 * hashes its own address and port as it sees them: if that differs from the first NAT-D, the
 * receiver is behind a NAT; if the sender's source as received matches none of the others,
 * the sender is. Either way both float IKE to UDP 4500 from message 5 on (§4) and ESP rides in
 * UDP (RFC 3948).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto-prf.h"
#include "ike-vendor.h"
#include "proposal.h"

enum ike_natt_version {
	IKE_NATT_NONE,
	IKE_NATT_DRAFT_02, /* draft-02, draft-02\n and draft-03 behave alike */
	IKE_NATT_RFC,
};

/* The NAT-T version a received Vendor ID stands for (NONE if it is no NAT-T VID). */
enum ike_natt_version ike_natt_version_of(enum ike_vendor vendor);
uint8_t ike_natt_natd_type(enum ike_natt_version version);
uint8_t ike_natt_natoa_type(enum ike_natt_version version);
/* Quick Mode's encapsulation mode for UDP-encapsulated transport. */
uint16_t ike_natt_encap_transport(enum ike_natt_version version);

/* An address as NAT-D hashes it: 4 or 16 bytes, and the port, in network order. */
struct ike_natt_addr {
	uint8_t ip[16];
	uint8_t ip_len;
	uint16_t port;
};

/* NAT-D = HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash; writes its length. */
int ike_natt_hash(RoadieInteg hash, const uint8_t *cky_i, const uint8_t *cky_r,
		  const struct ike_natt_addr *addr, uint8_t *out);

struct ike_natt_result {
	bool local_behind_nat;
	bool remote_behind_nat;
};

/*
 * Compares the peer's NAT-D payloads (@hashes[0] its view of us, the rest its own source
 * addresses) with @local (our address and port as we received on) and @remote (the peer's as
 * we saw it). -EBADMSG if fewer than two hashes or one of the wrong length.
 */
int ike_natt_detect(RoadieInteg hash, const uint8_t *cky_i, const uint8_t *cky_r,
		    const struct ike_natt_addr *local, const struct ike_natt_addr *remote,
		    const uint8_t *const *hashes, const size_t *hash_lens, unsigned n,
		    struct ike_natt_result *ret);
