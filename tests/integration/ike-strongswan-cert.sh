#!/bin/bash
# roadie's Main Mode with certificates (RSA and ECDSA signatures) against a real strongSwan
# responder (charon, native on this host), through a MASQUERADE NAT, in network namespaces of
# its own on documentation ranges (strongswan-nat.sh). A small PKI is made for the test with
# the openssl CLI. Checked from both sides: roadie's words, and charon's log (the signature it
# verified, the IKE SA it established). Then the gateway's certificate from another CA, an
# expired one, and one for another name: each refused with its sentence within 10 s. TAP.
#
#   tests/integration/ike-strongswan-cert.sh ROADIED
set -u
roadied=$(realpath "$1")
. "$(dirname "$0")/strongswan-nat.sh"
. "$(dirname "$0")/../lib/tap.sh"
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	sw_down
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the PKI ----
pki=$tmp/pki
mkdir -p "$pki"
ossl() { openssl "$@" >>"$pki/openssl.log" 2>&1; }
# ca NAME SUBJECT KEYTYPE
ca() {
	ossl req -x509 -new -newkey "$3" -nodes -keyout "$pki/$1.key" -out "$pki/$1.pem" \
		-subj "$2" -days 30 -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
}
# leaf NAME SUBJECT KEYTYPE CA SAN EKU [DAYS_BEFORE DAYS_AFTER]: DAYS_* set an old window
leaf() {
	local name=$1 ext=$pki/$1.ext
	ossl req -new -newkey "$3" -nodes -keyout "$pki/$name.key" -out "$pki/$name.csr" -subj "$2"
	printf 'subjectAltName=%s\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature\n' "$5" "$6" >"$ext"
	if [ -n "${7:-}" ]; then
		# an expired certificate: signed with a fake clock window through openssl ca
		mkdir -p "$pki/ca-db"
		: >"$pki/ca-db/index.txt"
		printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/ca-db/index.txt\nnew_certs_dir=%s/ca-db\nserial=%s/ca-db/serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n' "$pki" "$pki" "$pki" >"$pki/ca.cnf"
		echo 01 >"$pki/ca-db/serial"
		ossl ca -batch -config "$pki/ca.cnf" -cert "$pki/$4.pem" -keyfile "$pki/$4.key" \
			-in "$pki/$name.csr" -out "$pki/$name.pem" -notext -extfile "$ext" \
			-startdate "$7" -enddate "$8"
	else
		ossl x509 -req -in "$pki/$name.csr" -CA "$pki/$4.pem" -CAkey "$pki/$4.key" \
			-CAcreateserial -out "$pki/$name.pem" -days 20 -extfile "$ext"
	fi
}
ca root "/O=roadie test/CN=roadie test root" rsa:2048
ca other "/O=roadie test/CN=roadie other root" rsa:2048
ca ecroot "/O=roadie test/CN=roadie ecdsa root" ec:<(openssl ecparam -name prime256v1)
leaf gw "/O=roadie test/CN=vpn.test.example" rsa:2048 root "DNS:vpn.test.example,IP:203.0.113.10" "serverAuth,1.3.6.1.5.5.7.3.17"
leaf alice "/O=roadie test/CN=alice" rsa:2048 root "email:alice@test.example" "clientAuth"
leaf gw-other "/O=roadie test/CN=vpn.test.example" rsa:2048 other "DNS:vpn.test.example,IP:203.0.113.10" "serverAuth"
leaf gw-wrongid "/O=roadie test/CN=vpn.other.example" rsa:2048 root "DNS:vpn.other.example,IP:203.0.113.99" "serverAuth"
leaf gw-expired "/O=roadie test/CN=vpn.test.example" rsa:2048 root "DNS:vpn.test.example,IP:203.0.113.10" "serverAuth" 20200101000000Z 20210101000000Z
leaf gw-ec "/O=roadie test/CN=vpn.test.example" ec:<(openssl ecparam -name prime256v1) ecroot "DNS:vpn.test.example,IP:203.0.113.10" "serverAuth"
leaf alice-ec "/O=roadie test/CN=alice" ec:<(openssl ecparam -name prime256v1) ecroot "email:alice@test.example" "clientAuth"
for f in gw alice gw-other gw-wrongid gw-expired gw-ec alice-ec; do
	[ -s "$pki/$f.pem" ] || { echo "Bail out! the test PKI could not be made ($f): $(tail -n 3 "$pki/openssl.log")"; exit 1; }
done
openssl pkcs12 -export -in "$pki/alice.pem" -inkey "$pki/alice.key" -certfile "$pki/root.pem" \
	-passout pass:roadie-p12 -out "$pki/alice.p12" -keypbe AES-256-CBC -certpbe AES-256-CBC \
	>>"$pki/openssl.log" 2>&1

sw_up "$tmp" || { echo "Bail out! the strongSwan responder did not start"; exit 1; }

# gw_cert GATEWAY_CERT CA_FOR_CLIENTS: the responder with pubkey authentication (swanctl
# loads keys from the private/ folder beside its configuration file)
gw_cert() {
	rm -rf "$sw_dir/gw/private"
	mkdir -p "$sw_dir/gw/private"
	cp "$pki/$1.key" "$sw_dir/gw/private/"
	cat >"$sw_dir/gw/swanctl.conf" <<S
connections {
	l2tp {
		version = 1
		local_addrs = 203.0.113.10
		remote_addrs = %any
		proposals = aes256-sha256-modp2048,aes256-sha1-modp2048
		fragmentation = yes
		local {
			auth = pubkey
			certs = $pki/$1.pem
		}
		remote {
			auth = pubkey
			cacerts = $pki/$2.pem
		}
		children {
			l2tp {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp]
				esp_proposals = aes256-sha1
			}
		}
	}
}
S
	swanctl --load-all --clear --uri "unix://$sw_dir/gw/vici" --file "$sw_dir/gw/swanctl.conf" \
		>"$sw_dir/gw/load.log" 2>&1
}

# profile FILE CERT KEY CA [MORE IPSEC LINES]
profile() {
	printf '[connection]\ngateway=203.0.113.10\n[ipsec]\nauth=cert\ncertificate=%s\n%s\nca-certificate=%s\nike=aes256-sha256-modp2048\nesp=aes256-sha1\n%b[ppp]\nuser=alice\npassword=wonderland\n' \
		"$2" "${3:+private-key=$3}" "$4" "${5:-}" >"$1"
}

connect() { # NAME PROFILE WANT SECONDS
	local name=$1 prof=$2 want=$3 secs=$4 log=$tmp/$1.log
	: >"$log"
	env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/roadie-tests ip netns exec rd-ike-cli "$roadied" --state-dir "$tmp/state" --connect "$prof" >"$log" 2>&1 &
	pids+=($!)
	for _ in $(seq $((secs * 10))); do
		grep -qF -- "$want" "$log" && break
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	grep -qF -- "$want" "$log"
}
stop_roadied() {
	kill -INT "${pids[-1]}" 2>/dev/null
	wait "${pids[-1]}" 2>/dev/null
}
marks() { wc -l <"$sw_dir/gw/charon.log"; }
since() { tail -n +"$(($1 + 1))" "$sw_dir/gw/charon.log"; }

# 1. RSA, our credential as PEM files; through the NAT
gw_cert gw root
m=$(marks)
profile "$tmp/rsa.conf" "$pki/alice.pem" "$pki/alice.key" "$pki/root.pem"
connect rsa-pem "$tmp/rsa.conf" "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048; NAT: we are behind NAT" 20
result $? /ike/strongswan/cert/rsa-pem-main-mode "$tmp/rsa-pem.log"
grep -q "the gateway's certificate checks out: 'O=roadie test, CN=vpn.test.example'" "$tmp/rsa-pem.log" ||
	grep -q "the gateway's certificate checks out: .*vpn.test.example" "$tmp/rsa-pem.log"
result $? /ike/strongswan/cert/rsa-pem-gateway-cert-checked "$tmp/rsa-pem.log"
since "$m" >"$tmp/gw-rsa.log"
grep -qE "authentication of '[^']*CN=alice' with RSA_EMSA_PKCS1_NULL successful" "$tmp/gw-rsa.log" &&
	grep -qE "IKE_SA l2tp\[[0-9]+\] established between 203.0.113.10\[[^]]*vpn.test.example\]\.\.\.203.0.113.2\[[^]]*CN=alice\]" "$tmp/gw-rsa.log"
result $? /ike/strongswan/cert/rsa-pem-gateway-verified-our-signature "$tmp/gw-rsa.log"
stop_roadied

# 2. the same with PKCS#12 (the password as the key's secret)
m=$(marks)
profile "$tmp/p12.conf" "$pki/alice.p12" "" "$pki/root.pem" 'private-key-password=roadie-p12\n'
connect rsa-p12 "$tmp/p12.conf" "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048" 20 &&
	since "$m" | grep -qE "authentication of '[^']*CN=alice' with RSA_EMSA_PKCS1_NULL successful"
result $? /ike/strongswan/cert/rsa-pkcs12 "$tmp/rsa-p12.log"
stop_roadied

# 3. ECDSA P-256 on both sides
gw_cert gw-ec ecroot
m=$(marks)
profile "$tmp/ec.conf" "$pki/alice-ec.pem" "$pki/alice-ec.key" "$pki/ecroot.pem"
connect ecdsa "$tmp/ec.conf" "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048" 20 &&
	since "$m" | grep -qE "authentication of '[^']*CN=alice' with ECDSA.* successful"
result $? /ike/strongswan/cert/ecdsa-p256 "$tmp/ecdsa.log" "$sw_dir/gw/charon.log"
stop_roadied

# 3b. ECDSA under a SHA-1 suite: HASH_I still with HMAC-SHA-256 (RFC 4754 §4)
m=$(marks)
sed 's/^ike=.*/ike=aes256-sha1-modp2048/' "$tmp/ec.conf" >"$tmp/ec-sha1.conf"
connect ecdsa-sha1 "$tmp/ec-sha1.conf" "IKE: AES_CBC_256/HMAC_SHA1/MODP_2048" 20 &&
	since "$m" | grep -qE "authentication of '[^']*CN=alice' with ECDSA.* successful"
result $? /ike/strongswan/cert/ecdsa-p256-sha1-suite "$tmp/ecdsa-sha1.log"
stop_roadied

# 3c. our ID from the certificate's subjectAltName (local-id=email), and a DN that is not
# our certificate's subject refused before anything is sent
gw_cert gw root
m=$(marks)
profile "$tmp/email.conf" "$pki/alice.pem" "$pki/alice.key" "$pki/root.pem" 'local-id=email\n'
connect id-email "$tmp/email.conf" "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048" 20 &&
	since "$m" | grep -qE "authentication of 'alice@test.example' with RSA_EMSA_PKCS1_NULL successful"
result $? /ike/strongswan/cert/local-id-email-from-certificate "$tmp/id-email.log"
stop_roadied
profile "$tmp/dn.conf" "$pki/alice.pem" "$pki/alice.key" "$pki/root.pem" 'local-id=dn:O=roadie test, CN=bob\n'
connect id-dn-other "$tmp/dn.conf" "local-id names the distinguished name 'O=roadie test, CN=bob', but our certificate's subject is another" 5
result $? /ike/strongswan/cert/local-id-dn-not-ours "$tmp/id-dn-other.log"
stop_roadied
m=$(marks)
profile "$tmp/dn2.conf" "$pki/alice.pem" "$pki/alice.key" "$pki/root.pem" 'local-id=dn:CN=alice,O=roadie test\n'
connect id-dn "$tmp/dn2.conf" "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048" 20 &&
	since "$m" | grep -qE "authentication of 'O=roadie test, CN=alice' with RSA_EMSA_PKCS1_NULL successful"
result $? /ike/strongswan/cert/local-id-dn-reversed "$tmp/id-dn.log"
stop_roadied

# 4-6. the gateway's certificate is refused, with the sentence, within 10 s
bad() { # NAME GATEWAY_CERT WANT
	gw_cert "$2" root
	profile "$tmp/$1.conf" "$pki/alice.pem" "$pki/alice.key" "$pki/root.pem"
	local start=$SECONDS
	connect "$1" "$tmp/$1.conf" "$3" 12
	local status=$?
	[ $status -eq 0 ] && [ $((SECONDS - start)) -le 10 ]
	result $? "/ike/strongswan/cert/refused-$1 ($((SECONDS - start)) s)" "$tmp/$1.log"
	stop_roadied
}
bad other-ca gw-other "not by the CA you chose"
bad expired gw-expired "expired on"
bad wrong-name gw-wrongid "not for 203.0.113.10"

tap_plan
