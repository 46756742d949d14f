#!/usr/bin/env python3
"""Turns the two charon logs printed by capture-strongswan-ikev1.sh into a fixture file:
one "name = hex" line per value, every value as strongSwan itself printed it ("captured")."""
import re
import sys

DUMP = re.compile(r"^(\d+)\[(\w+)\] (.*?) => (\d+) bytes @ 0x[0-9a-f]+$")
ROW = re.compile(r"^(\d+)\[(\w+)\]\s+\d+: ((?:[0-9A-F]{2} ?)+)")

def dumps(lines):
    """Yields (label, bytes) for every hex dump, following each thread's own lines."""
    open_dumps = {}
    for line in lines:
        m = DUMP.match(line)
        if m:
            thread = m.group(1)
            open_dumps[thread] = [m.group(3), int(m.group(4)), bytearray()]
            continue
        m = ROW.match(line)
        if m and m.group(1) in open_dumps:
            d = open_dumps[m.group(1)]
            d[2] += bytes.fromhex(m.group(3).replace(" ", ""))
            if len(d[2]) >= d[1]:
                yield d[0], bytes(d[2][: d[1]])
                del open_dumps[m.group(1)]

def main(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    _, initiator, responder = re.split(r"^== (?:initiator|responder)$", text, flags=re.M)
    suites = re.search(r"^# proposals: (.*)$", text, flags=re.M)
    out = ["# captured: strongSwan 5.9.8 charon <-> charon, IKEv1 Main Mode + Quick Mode, PSK",
           "# proposals: " + (suites.group(1) if suites else "?"),
           "psk = " + b"roadie-vector-psk".hex()]
    # The initiator's messages are the responder's received packets and vice versa.
    sent_i = [b for l, b in dumps(responder.splitlines()) if l == "received packet"]
    sent_r = [b for l, b in dumps(initiator.splitlines()) if l == "received packet"]
    for n, msg in enumerate(sent_i, 1):
        out.append(f"initiator_msg{n} = {msg.hex()}")
    for n, msg in enumerate(sent_r, 1):
        out.append(f"responder_msg{n} = {msg.hex()}")
    names = {
        "shared Diffie Hellman secret": "gxy", "SKEYID": "skeyid", "SKEYID_d": "skeyid_d",
        "SKEYID_a": "skeyid_a", "SKEYID_e": "skeyid_e", "encryption key Ka": "ka",
        "initial IV": "initial_iv", "HASH_I": "hash_i", "HASH_R": "hash_r",
        "encryption initiator key": "esp_enc_i", "encryption responder key": "esp_enc_r",
        "integrity initiator key": "esp_integ_i", "integrity responder key": "esp_integ_r",
    }
    seen = {}
    for label, data in dumps(initiator.splitlines()):
        key = names.get(label)
        if not key:
            continue
        # a repeated value (the Quick Mode's own g^xy with PFS) gets a suffix
        seen[key] = seen.get(key, 0) + 1
        name = key if seen[key] == 1 else f"{key}_{seen[key]}"
        out.append(f"{name} = {data.hex()}")
    spis = re.findall(r"SPI 0x([0-9a-f]{8}), src (\S+) dst (\S+)", initiator)
    for spi, src, dst in spis[:2]:
        out.append(f"spi_{src}_to_{dst} = {spi}")
    print("\n".join(out))

if __name__ == "__main__":
    main(sys.argv[1])
