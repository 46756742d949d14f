/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MS-CHAP crypto: RFC 2759 §8 (MS-CHAPv2) and RFC 2433 Appendix A (MS-CHAPv1).
 *
 *   NtPasswordHash       = MD4(UTF-16LE(password))                     (RFC 2759 §8.3)
 *   ChallengeHash        = SHA1(PeerChallenge | AuthChallenge | user)[0..8]  (§8.2)
 *   ChallengeResponse    = DES(k1, C) | DES(k2, C) | DES(k3, C), the k's the three
 *                          7-byte parts of the hash padded to 21, spread over 8 bytes
 *                          with parity bits                             (§8.5, §8.6)
 *   AuthenticatorResponse = "S=" hex(SHA1(SHA1(HashHash | NT-Response | Magic1) |
 *                          ChallengeHash | Magic2))                     (§8.7)
 *
 * MD4 and single DES live in OpenSSL 3's "legacy" provider: a struct ppp_mschap is a
 * library context with "legacy" and "default" loaded and MD4 and DES-ECB fetched once.
 * It is NULL where the legacy provider is missing; nothing here hand-writes either.
 *
 * The user name in ChallengeHash is the part after the last backslash: a Windows
 * "DOMAIN\user" travels whole in CHAP's Name field, but only "user" is hashed (RFC 2759
 * §4, §8.2); hashing the domain too makes every domain account fail.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PPP_MSCHAP_HASH_LEN 16
#define PPP_MSCHAP_CHALLENGE_LEN 8
#define PPP_MSCHAP_V2_CHALLENGE_LEN 16
#define PPP_MSCHAP_RESPONSE_LEN 24
#define PPP_MSCHAP_AUTH_RESPONSE_LEN 42 /* "S=" and 40 hex digits */

struct ppp_mschap;

/* NULL if OpenSSL cannot provide MD4 or DES-ECB (the legacy provider is not installed). */
struct ppp_mschap *ppp_mschap_new(void);
struct ppp_mschap *ppp_mschap_free(struct ppp_mschap *m);

/* @password is UTF-8; -EINVAL if it is not, or longer than 256 characters. */
int ppp_mschap_nt_password_hash(struct ppp_mschap *m, const char *password,
				uint8_t ret_hash[PPP_MSCHAP_HASH_LEN]);
int ppp_mschap_hash_nt_password_hash(struct ppp_mschap *m, const uint8_t hash[PPP_MSCHAP_HASH_LEN],
				     uint8_t ret_hash[PPP_MSCHAP_HASH_LEN]);
/* The user name without its domain prefix. */
const char *ppp_mschap_user_part(const char *user);
int ppp_mschap_challenge_hash(const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const char *user, uint8_t ret_challenge[PPP_MSCHAP_CHALLENGE_LEN]);
int ppp_mschap_challenge_response(struct ppp_mschap *m,
				  const uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN],
				  const uint8_t hash[PPP_MSCHAP_HASH_LEN],
				  uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN]);

/* MS-CHAPv2 GenerateNTResponse (RFC 2759 §8.1). */
int ppp_mschap_v2_nt_response(struct ppp_mschap *m,
			      const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const char *user, const char *password,
			      uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN]);
/* GenerateAuthenticatorResponse (RFC 2759 §8.7): "S=" and 40 upper-case hex digits, NUL. */
int ppp_mschap_v2_authenticator_response(struct ppp_mschap *m, const char *password,
					 const uint8_t nt_response[PPP_MSCHAP_RESPONSE_LEN],
					 const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
					 const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
					 const char *user,
					 char ret_text[PPP_MSCHAP_AUTH_RESPONSE_LEN + 1]);
/* MS-CHAPv1 NtChallengeResponse (RFC 2433 A.5). */
int ppp_mschap_v1_nt_response(struct ppp_mschap *m,
			      const uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN],
			      const char *password, uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN]);
