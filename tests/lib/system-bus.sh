# tests/lib/system-bus.sh: a private D-Bus system bus for tests (source it). Configured like
# Debian's /usr/share/dbus-1/system.conf (method calls denied unless a policy file allows
# them; replies and signals flow) with roadie's own policy (data/dbus/org.roadie.Daemon.conf)
# and one for the stand-ins (polkit, logind, resolved). The machine's own system bus is never touched.
#
#   system_bus_start DIR POLICY   writes DIR/bus.conf with the policy file POLICY (roadie's
#                                 org.roadie.Daemon.conf, from the source tree or as
#                                 installed), starts dbus-daemon; sets SYSTEM_BUS (its
#                                 address) and SYSTEM_BUS_PID (kill it at the end)
#   system_bus_has NAME           whether NAME has an owner on $SYSTEM_BUS

system_bus_start() {
	local dir=$1 policy=$2
	mkdir -p "$dir/system.d"
	chmod 755 "$dir"
	cp "$policy" "$dir/system.d/org.roadie.Daemon.conf" || return 1
	cat >"$dir/system.d/standins.conf" <<'EOF2'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root">
    <allow own="org.freedesktop.PolicyKit1"/>
    <allow own="org.freedesktop.login1"/>
    <allow own="org.freedesktop.resolve1"/>
  </policy>
  <policy context="default">
    <allow send_destination="org.freedesktop.PolicyKit1"/>
    <allow send_destination="org.freedesktop.resolve1"/>
  </policy>
</busconfig>
EOF2
	cat >"$dir/bus.conf" <<EOF2
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <includedir>$dir/system.d</includedir>
</busconfig>
EOF2
	rm -f "$dir/system_bus_socket"
	dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile >"$dir/bus.log" 2>&1 &
	SYSTEM_BUS_PID=$!
	SYSTEM_BUS=unix:path=$dir/system_bus_socket
	local i
	for i in $(seq 50); do
		[ -S "$dir/system_bus_socket" ] && break
		sleep 0.1
	done
	[ -S "$dir/system_bus_socket" ] || return 1
	chmod 666 "$dir/system_bus_socket"
}

system_bus_has() {
	DBUS_SYSTEM_BUS_ADDRESS=$SYSTEM_BUS gdbus call --system --dest org.freedesktop.DBus \
		--object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner "$1" \
		2>/dev/null | grep -q true
}
