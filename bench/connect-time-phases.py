#!/usr/bin/python3
"""Per-phase packets and times of one L2TP/IPsec connect, from a capture.

usage: connect-time-phases.py RUNDIR CLIENT_PUBLIC SERVER
  RUNDIR holds wan.pcapng (captured on the server's interface), xfrm-state.txt (the
  client's `ip xfrm state`, with keys) or keys.txt (roadied --keylog) and phases.txt
  (T0..T4 from vm/refclient; roadie's runs have T0, its start, and T4, connected).
Prints one JSON object: per phase (IKE main mode, IKE quick mode, L2TP, PPP LCP, PPP auth,
PPP IPCP, PPP other) the packet count, the time from its first to its last packet, and the
time spent waiting on the server (the gap before each server packet, since the packet before
it from either side: the silence is the time of the side that breaks it), all up to the first
tunnelled IP packet (an LCP Protocol-Reject counts with the protocol it rejects); plus the gaps before the first
IKE packet (client start-up) and between IKE and L2TP (xl2tpd start-up).
The ESP payload is decrypted by tshark with the client's SA keys (uat:esp_sa).
"""
import json, re, subprocess, sys

d, client_pub, server = sys.argv[1:4]
ENC = {'cbc(aes)': 'AES-CBC [RFC3602]', 'cbc(des3_ede)': 'TripleDES-CBC [RFC2451]',
       'rfc4106(gcm(aes))': 'AES-GCM with 16 octet ICV [RFC4106]'}
AUTH = {('hmac(sha1)', 96): 'HMAC-SHA-1-96 [RFC2404]',
        ('hmac(sha256)', 128): 'HMAC-SHA-256-128 [RFC4868]'}
uat = []
try:
    st = open(f'{d}/xfrm-state.txt').read()
except OSError:
    st = ''
# roadie's runs: roadied --keylog's ESP SA records, ready for tshark
try:
    uat += [ln[len('esp_sa:'):].strip() for ln in open(f'{d}/keys.txt')
            if ln.startswith('esp_sa:')]
except OSError:
    pass
for blk in re.split(r'\n(?=src )', st):
    spi = re.search(r'spi (0x[0-9a-f]+)', blk)
    enc = re.search(r'\benc (\S+) (0x[0-9a-f]+)', blk)
    au = re.search(r'auth-trunc (\S+) (0x[0-9a-f]+) (\d+)', blk)
    aead = re.search(r'aead (\S+) (0x[0-9a-f]+) (\d+)', blk)
    if spi and enc and au and enc.group(1) in ENC and (au.group(1), int(au.group(3))) in AUTH:
        uat.append('"IPv4","*","*","%s","%s","%s","%s","%s"' % (
            spi.group(1), ENC[enc.group(1)], enc.group(2),
            AUTH[(au.group(1), int(au.group(3)))], au.group(2)))
    elif spi and aead and aead.group(1) in ENC:
        uat.append('"IPv4","*","*","%s","%s","%s","NULL",""' % (
            spi.group(1), ENC[aead.group(1)], aead.group(2)))
args = ['tshark', '-r', f'{d}/wan.pcapng', '-o', 'esp.enable_encryption_decode:TRUE',
        '-o', 'esp.enable_authentication_check:FALSE']
for u in uat:
    args += ['-o', 'uat:esp_sa:' + u]
args += ['-T', 'fields', '-E', 'separator=|', '-e', 'frame.time_epoch', '-e', 'ip.src',
         '-e', 'isakmp.exchangetype', '-e', 'l2tp.type', '-e', 'ppp.protocol', '-e', '_ws.col.Protocol',
         '-e', '_ws.col.Info']
out = subprocess.run(args, capture_output=True, text=True).stdout

PPP = {0xc021: 'PPP LCP', 0xc223: 'PPP auth', 0xc023: 'PPP auth', 0x8021: 'PPP IPCP',
       0x0021: 'IP'}
pkts = []
for ln in out.splitlines():
    f = (ln.split('|') + [''] * 7)[:7]
    t, src, ex, l2type, pproto, proto, info = f
    src = src.split(',')[0]
    if 'NAT-keepalive' in info or 'Keep-alive' in info:
        continue
    if ex:
        e = int(ex.split(',')[0])
        ph = {2: 'IKE main mode', 32: 'IKE quick mode'}.get(e, 'IKE other')
    elif pproto:
        v = pproto.split(',')[-1]
        p = int(v, 16) if v.startswith('0x') else int(v)
        ph = PPP.get(p, 'PPP other')
        # an LCP Protocol-Reject answers another protocol (IPV6CP, CCP): it is that one's
        # packet, as the packets of a client that negotiates it are
        if ph == 'PPP LCP' and 'Protocol Reject' in info:
            ph = 'PPP other'
    elif l2type:
        ph = 'L2TP'
    elif proto in ('ESP', 'UDPENCAP'):
        ph = 'ESP (not decrypted)'
    else:
        continue
    pkts.append((float(t), 'server' if src == server else 'client', ph))

phases = {}
order = []
prev = None
first_ip = None
for t, who, ph in pkts:
    if ph == 'IP':
        first_ip = t
        break
    p = phases.setdefault(ph, {'packets': 0, 'first': t, 'last': t, 'server_wait': 0.0})
    if ph not in order:
        order.append(ph)
    p['packets'] += 1
    p['last'] = t
    # the silence before a packet is the time of the side that breaks it: the server's when
    # it answers us, and when it goes on by itself (its pppd starting, its own requests)
    if who == 'server' and prev:
        p['server_wait'] += t - prev[0]
    prev = (t, who)

T = dict(re.findall(r'(T\d)=([0-9.]+)', open(f'{d}/phases.txt').read()))
T = {k: float(v) for k, v in T.items()}
res = {'phases': {}, 'order': order}
for ph in order:
    p = phases[ph]
    res['phases'][ph] = {'packets': p['packets'], 'seconds': round(p['last'] - p['first'], 3),
                         'server_wait': round(p['server_wait'], 3)}
if pkts and 'T0' in T:
    res['startup_before_first_packet'] = round(pkts[0][0] - T['T0'], 3)
ike_last = max([phases[p]['last'] for p in phases if p.startswith('IKE')], default=None)
if ike_last and 'L2TP' in phases:
    res['gap_ike_to_l2tp'] = round(phases['L2TP']['first'] - ike_last, 3)
res['packets_total'] = sum(p['packets'] for p in phases.values())
res['server_wait_total'] = round(sum(p['server_wait'] for p in phases.values()), 3)
if 'T0' in T and 'T4' in T:
    res['connect'] = round(T['T4'] - T['T0'], 3)
print(json.dumps(res))
