/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT-T and vendor IDs against captured strongSwan messages: the NAT-D hashes strongSwan put
 * in its Main Mode message 3 are recomputed (RFC 3947 §3.2), NAT detection says "no NAT" for
 * them and "behind NAT" once an address is rewritten, and every vendor ID strongSwan sent is
 * recognised by name.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "crypto/crypto-hash.h"
#include "ike/ike-natt.h"
#include "ike/ike-vendor.h"

#include "ike-fixture.h"

static const struct ike_natt_addr initiator = { { 192, 0, 2, 101 }, 4, 500 };
static const struct ike_natt_addr responder = { { 192, 0, 2, 102 }, 4, 500 };

static void test_natd_captured(void)
{
	Fixture f = { 0 };
	struct ike_payload p[IKE_MAX_PAYLOADS];
	struct ike_header h;
	const uint8_t *hashes[IKE_MAX_PAYLOADS];
	size_t lens[IKE_MAX_PAYLOADS];
	struct ike_natt_result r;
	uint8_t cky_r[8], out[CRYPTO_PRF_MAX_LEN];
	unsigned n, k = 0;

	fixture_load(&f, "ikev1-aes256-sha1-modp2048.txt");
	fixture_split_named(&f, "responder_msg1", &h, p);
	memcpy(cky_r, h.rcookie, 8);
	/* the initiator's MM3: NAT-D of the responder (where it sends to), then of itself */
	n = fixture_split_named(&f, "initiator_msg2", &h, p);
	for (unsigned i = 0; i < n; i++) {
		if (p[i].type != IKE_PAYLOAD_NAT_D)
			continue;
		hashes[k] = BODY(&p[i]);
		lens[k++] = BODY_LEN(&p[i]);
	}
	g_assert_cmpuint(k, ==, 2);
	g_assert_cmpint(ike_natt_hash(f.ike.integ, h.icookie, cky_r, &responder, out), ==, 0);
	g_assert_cmpmem(out, 20, hashes[0], lens[0]);
	g_assert_cmpint(ike_natt_hash(f.ike.integ, h.icookie, cky_r, &initiator, out), ==, 0);
	g_assert_cmpmem(out, 20, hashes[1], lens[1]);

	/* as the responder sees it: nobody is behind a NAT */
	g_assert_cmpint(ike_natt_detect(f.ike.integ, h.icookie, cky_r, &responder, &initiator,
					hashes, lens, k, &r),
			==, 0);
	g_assert_false(r.local_behind_nat);
	g_assert_false(r.remote_behind_nat);

	/* the packet arrived from a NAT's address and port: the sender is behind NAT */
	struct ike_natt_addr nat = { { 203, 0, 113, 2 }, 4, 4500 };

	g_assert_cmpint(ike_natt_detect(f.ike.integ, h.icookie, cky_r, &responder, &nat, hashes,
					lens, k, &r),
			==, 0);
	g_assert_false(r.local_behind_nat);
	g_assert_true(r.remote_behind_nat);

	/* we received on another address than the one the sender aimed at: we are behind NAT
	 * (the "NAT'd server" case, seen from the server) */
	struct ike_natt_addr inside = { { 198, 51, 100, 10 }, 4, 500 };

	g_assert_cmpint(ike_natt_detect(f.ike.integ, h.icookie, cky_r, &inside, &initiator, hashes,
					lens, k, &r),
			==, 0);
	g_assert_true(r.local_behind_nat);
	g_assert_false(r.remote_behind_nat);

	/* malformed: one hash, or a hash of the wrong length */
	g_assert_cmpint(ike_natt_detect(f.ike.integ, h.icookie, cky_r, &inside, &initiator, hashes,
					lens, 1, &r),
			==, -EBADMSG);
	lens[1] = 19;
	g_assert_cmpint(ike_natt_detect(f.ike.integ, h.icookie, cky_r, &inside, &initiator, hashes,
					lens, k, &r),
			==, -EBADMSG);
	g_hash_table_unref(f.values);
}

static void test_vendor_ids_captured(void)
{
	Fixture f = { 0 };
	struct ike_payload p[IKE_MAX_PAYLOADS];
	struct ike_header h;
	GString *seen = g_string_new(NULL);
	unsigned n;

	fixture_load(&f, "ikev1-aes256-sha1-modp2048.txt");
	/* strongSwan 5.9.8 logged: "sending XAuth, DPD, FRAGMENTATION, NAT-T (RFC 3947),
	 * draft-ietf-ipsec-nat-t-ike-02\n vendor ID" */
	n = fixture_split_named(&f, "initiator_msg1", &h, p);
	for (unsigned i = 0; i < n; i++)
		if (p[i].type == IKE_PAYLOAD_VID)
			g_string_append_printf(
				seen, "%s;",
				ike_vendor_name(ike_vendor_identify(BODY(&p[i]), BODY_LEN(&p[i]))));
	g_assert_cmpstr(seen->str, ==,
			"XAUTH;Dead Peer Detection (RFC 3706);IKE fragmentation;NAT-T (RFC 3947);"
			"NAT-T draft-02\\n;");
	g_string_free(seen, TRUE);
	g_hash_table_unref(f.values);
}

static void test_vendor_ids_sent(void)
{
	static const struct {
		enum ike_vendor vendor;
		const char *md5_of;
		enum ike_natt_version version;
	} natt[] = {
		{ IKE_VENDOR_NATT_RFC3947, "RFC 3947", IKE_NATT_RFC },
		{ IKE_VENDOR_NATT_DRAFT_02, "draft-ietf-ipsec-nat-t-ike-02", IKE_NATT_DRAFT_02 },
		{ IKE_VENDOR_NATT_DRAFT_02N, "draft-ietf-ipsec-nat-t-ike-02\n", IKE_NATT_DRAFT_02 },
		{ IKE_VENDOR_NATT_DRAFT_03, "draft-ietf-ipsec-nat-t-ike-03", IKE_NATT_DRAFT_02 },
	};
	uint8_t id[32], md5[16];

	for (size_t i = 0; i < G_N_ELEMENTS(natt); i++) {
		g_assert_cmpuint(ike_vendor_id(natt[i].vendor, id, sizeof(id)), ==, 16);
		g_assert_cmpint(crypto_hash(ROADIE_INTEG_MD5, md5, natt[i].md5_of,
					    strlen(natt[i].md5_of), NULL),
				==, 0);
		g_assert_cmpmem(id, 16, md5, 16);
		g_assert_cmpint(ike_vendor_identify(id, 16), ==, natt[i].vendor);
		g_assert_cmpint(ike_natt_version_of(natt[i].vendor), ==, natt[i].version);
	}
	/* RFC 3706 §4: DPD's VID with version 1.0 */
	g_assert_cmpuint(ike_vendor_id(IKE_VENDOR_DPD, id, sizeof(id)), ==, 16);
	g_assert_cmpmem(id, 16, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00",
			16);
	g_assert_cmpuint(ike_vendor_id(IKE_VENDOR_XAUTH, id, sizeof(id)), ==, 0);
	g_assert_cmpuint(ike_vendor_id(IKE_VENDOR_DPD, id, 15), ==, 0);
	/* payload numbers and encapsulation modes follow the version */
	g_assert_cmpuint(ike_natt_natd_type(IKE_NATT_RFC), ==, 20);
	g_assert_cmpuint(ike_natt_natd_type(IKE_NATT_DRAFT_02), ==, 130);
	g_assert_cmpuint(ike_natt_natoa_type(IKE_NATT_DRAFT_02), ==, 131);
	g_assert_cmpuint(ike_natt_encap_transport(IKE_NATT_RFC), ==, 4);
	g_assert_cmpuint(ike_natt_encap_transport(IKE_NATT_DRAFT_02), ==, 61444);
	g_assert_cmpuint(ike_natt_encap_transport(IKE_NATT_NONE), ==, 2);
	/* unknown and truncated VIDs */
	g_assert_cmpint(ike_vendor_identify((const uint8_t *)"roadie", 6), ==, IKE_VENDOR_UNKNOWN);
	g_assert_cmpint(ike_vendor_identify(id, 13), ==, IKE_VENDOR_UNKNOWN);
	g_assert_cmpint(ike_vendor_identify(id, 0), ==, IKE_VENDOR_UNKNOWN);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ike/natt/natd/captured", test_natd_captured);
	g_test_add_func("/ike/vendor/captured", test_vendor_ids_captured);
	g_test_add_func("/ike/vendor/sent", test_vendor_ids_sent);
	return g_test_run();
}
