/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One direction of an ESP SA in transport mode (RFC 4303): seal the L2TP/UDP payload in
 * place for the gateway, open what the gateway sent. The data plane's hot path: no
 * allocation and no copy per packet, the OpenSSL contexts are built once per SA.
 *
 * Suites (libroadie/proposal.h): AES-CBC 128/192/256 (RFC 3602) or 3DES-CBC (RFC 2451) with
 * HMAC-SHA1-96 (RFC 2404), HMAC-SHA-256-128/384-192/512-256 (RFC 4868) or HMAC-MD5-96
 * (RFC 2403, only for profiles that insist); AES-GCM with a 16-byte ICV (RFC 4106).
 * Keys come as IKEv1's KEYMAT lays them out (struct ike_child): the encryption key first
 * (for GCM the AES key and then the 4-byte salt, RFC 4106 §8.1), then the integrity key.
 *
 * Packet layout (RFC 4303 §2), all of it inside the outer IP (and UDP 4500, RFC 3948) header
 * the caller adds:
 *
 *   | SPI 4 | seq 4 | IV | payload | padding | pad length 1 | next header 1 | ICV |
 *   |<-------- authenticated: by the HMAC (CBC), as AAD + ciphertext (GCM) -->|
 *                          |<------------------ encrypted ----------------->|
 *
 * Room a caller reserves around the payload of struct pkt_writer, for any suite:
 *   headroom ESP_MAX_HEADROOM (24: SPI, sequence number, a 16-byte AES-CBC IV)
 *   tailroom ESP_MAX_TAILROOM (49: up to 15 bytes of padding, pad length, next header and a
 *            32-byte HMAC-SHA-512-256 ICV)
 * plus whatever the outer headers need in front (IPv4 20 or IPv6 40, UDP 8 behind NAT).
 * esp_sa_headroom() and esp_sa_tailroom() give one SA's own maxima (for the MTU).
 *
 * The inner UDP checksum is the caller's business: in transport mode behind NAT it covers
 * addresses the NAT rewrote (RFC 3948 §3.1.2). roadie sends a zero UDP checksum over IPv4
 * and does not rely on a received one: ESP's ICV already covers the whole payload.
 *
 * Sequence numbers: the first packet sent is 1, and an SA is never used past 2^32 - 1
 * (RFC 4303 §3.3.3: no cycling without ESN); esp_sa_soft_expired() asks for a rekey well
 * before that, or before the negotiated kilobyte lifetime runs out.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"
#include "proposal.h"

#define ESP_HEADER_LEN 8  /* SPI, sequence number */
#define ESP_MAX_IV_LEN 16 /* AES-CBC; 3DES-CBC and GCM take 8 */
#define ESP_MAX_BLOCK 16
#define ESP_MAX_ICV_LEN 32 /* HMAC-SHA-512-256 */
#define ESP_MAX_HEADROOM (ESP_HEADER_LEN + ESP_MAX_IV_LEN)
#define ESP_MAX_TAILROOM (ESP_MAX_BLOCK - 1 + 2 + ESP_MAX_ICV_LEN)
/* No ESP packet of any suite is shorter: header, an 8-byte IV, pad length, next header and
 * a 12-byte ICV. */
#define ESP_MIN_PACKET_LEN (ESP_HEADER_LEN + 8 + 2 + 12)
/* Largest payload esp_sa_seal() takes: an ESP packet must fit an IP datagram. */
#define ESP_MAX_PAYLOAD 65535
/* The next header of a dummy packet (RFC 4303 §2.6): authenticated, then dropped. */
#define ESP_NEXT_HEADER_NONE 59
/* esp_sa_soft_expired() answers true past this sequence number ... */
#define ESP_SOFT_SEQ (UINT32_MAX - (UINT32_C(1) << 24) + 1)
/* ... or past this share (in %) of the kilobyte lifetime. */
#define ESP_SOFT_LIFE_PERCENT 85

struct esp_sa_config {
	uint32_t spi;            /* on the wire: the gateway's for outbound, ours for inbound */
	RoadieSuite suite;       /* encr, key_bits, integ (dh is ignored) */
	const uint8_t *key;      /* enc_key_len + integ_key_len bytes; the caller wipes them */
	size_t enc_key_len;      /* AES 16/24/32, 3DES 24, GCM 16/24/32 + 4 (salt) */
	size_t integ_key_len;    /* the hash's length (RFC 2404 §3, RFC 4868 §2.1.1); GCM 0 */
	uint64_t life_kilobytes; /* 0: no byte lifetime */
};

/* Why a received packet was dropped; counted per SA (STYLE.md rule 5). */
enum esp_drop {
	ESP_DROP_MALFORMED, /* too short, or the ciphertext is not whole blocks */
	ESP_DROP_WRONG_SPI, /* not this SA's SPI */
	ESP_DROP_REPLAY,    /* sequence number 0, seen already, or older than the window */
	ESP_DROP_ICV,       /* integrity check failed: forged, damaged or the wrong key */
	ESP_DROP_PADDING,   /* authentic but the padding is wrong (a broken peer) */
	ESP_DROP_DUMMY,     /* authentic dummy packet, next header 59 (RFC 4303 §2.6) */
	ESP_DROP_INTERNAL,  /* OpenSSL failed on our side */
	ESP_DROP_COUNT,
};

const char *esp_drop_name(enum esp_drop reason);

struct esp_sa_stats {
	uint64_t packets; /* sealed, or opened and delivered */
	uint64_t bytes;   /* of payload, the count the kilobyte lifetime limits */
	uint64_t drops[ESP_DROP_COUNT];
};

struct esp_sa;

/* NULL if the config is inconsistent (a key length that does not match the suite, SPI 0,
 * GCM with an integrity algorithm, CBC without one) or OpenSSL fails. */
struct esp_sa *esp_sa_new(const struct esp_sa_config *config, bool outbound);
/* Frees, wiping every key and key schedule; accepts NULL; returns NULL. */
struct esp_sa *esp_sa_free(struct esp_sa *sa);

uint32_t esp_sa_spi(const struct esp_sa *sa);
/* Bytes of IV per packet: 16 AES-CBC, 8 3DES-CBC, 8 GCM. */
size_t esp_sa_iv_len(const struct esp_sa *sa);
/* Random IV bytes esp_sa_seal() wants from the caller per packet: the IV length for CBC, 0 for
 * GCM (its IV is the packet counter). */
size_t esp_sa_random_iv_len(const struct esp_sa *sa);
/* What this SA needs in front of and behind a payload at most (see the top of the file). */
size_t esp_sa_headroom(const struct esp_sa *sa);
size_t esp_sa_tailroom(const struct esp_sa *sa);

/*
 * Encrypts the payload held in @w (for roadie: a UDP header and an L2TP message) in place:
 * prepends SPI, sequence number and IV into the headroom, appends padding (1, 2, 3, ...:
 * RFC 4303 §2.4) to the cipher's block and to 4 bytes, pad length, @next_header and the ICV
 * into the tailroom.
 *
 * @iv: CBC: esp_sa_iv_len() bytes the caller drew from its random source for this packet
 * (RFC 3602 §2: unpredictable). GCM: ignored (may be NULL); the explicit IV is the 64-bit
 * packet counter, unique per key as RFC 4106 §3.1 allows.
 *
 * Returns 0; -EMSGSIZE, writing nothing, if the headroom or tailroom lacks or the payload
 * exceeds ESP_MAX_PAYLOAD; -ERANGE, writing nothing, once 2^32 - 1 packets have been sent
 * (rekey); -EINVAL on an inbound SA or without @iv for CBC; -EIO if OpenSSL fails (the
 * payload is lost).
 */
int esp_sa_seal(struct esp_sa *sa, struct pkt_writer *w, uint8_t next_header, const uint8_t *iv);

/*
 * Authenticates and decrypts, in place, one ESP packet: @packet starts at the SPI (the
 * caller stripped the outer IP and UDP headers). In this order: length, SPI, the replay
 * window (a read), the ICV in constant time (for CBC before anything is decrypted; for GCM
 * the tag), the replay window update, decryption, padding (1, 2, 3, ... and a pad length that
 * fits), next header.
 *
 * On 0 the payload is @packet[*ret_payload_off, + *ret_payload_len), its protocol
 * *ret_next_header. Otherwise the packet was dropped and counted: -EMSGSIZE malformed,
 * -ENOENT wrong SPI, -EALREADY replayed, -EACCES ICV, -EBADMSG padding, -ENODATA dummy
 * packet, -EIO internal, -EINVAL on an outbound SA. A packet dropped before its ICV verified
 * changes nothing in the SA but a drop counter; its bytes may have been overwritten (GCM
 * decrypts while it authenticates). The ret_ outputs are written only on success.
 */
int esp_sa_open(struct esp_sa *sa, uint8_t *packet, size_t len, size_t *ret_payload_off,
		size_t *ret_payload_len, uint8_t *ret_next_header);

/* True once the sequence number (sent, or highest received) passes ESP_SOFT_SEQ or the
 * payload bytes pass ESP_SOFT_LIFE_PERCENT of the kilobyte lifetime: time to rekey. */
bool esp_sa_soft_expired(const struct esp_sa *sa);

const struct esp_sa_stats *esp_sa_stats(const struct esp_sa *sa);

/* The SPI of an ESP packet (at the SPI, as esp_sa_open takes it), to find its SA: during a
 * rekey two inbound SAs coexist. 0 (never a valid SPI) if shorter than the ESP header. */
uint32_t esp_peek_spi(const uint8_t *packet, size_t len);
