#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for the colord daemon for tests/test-screen-profile-colord.c:
owns org.freedesktop.ColorManager on the bus named by DBUS_SYSTEM_BUS_ADDRESS
and serves one display device, found by any XRANDR_name (and only so), whose default
profile is the file given as the argument.  Prints "ready" once it owns the
name."""
import sys
from gi.repository import Gio, GLib
XML = """<node>
<interface name='org.freedesktop.ColorManager'>
 <method name='FindDeviceByProperty'><arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='o' direction='out'/></method>
 <method name='GetDevicesByKind'><arg type='s' direction='in'/><arg type='ao' direction='out'/></method>
 <property name='DaemonVersion' type='s' access='read'/>
</interface>
<interface name='org.freedesktop.ColorManager.Device'>
 <property name='DeviceId' type='s' access='read'/><property name='Kind' type='s' access='read'/>
 <property name='Model' type='s' access='read'/><property name='Profiles' type='ao' access='read'/>
 <property name='Enabled' type='b' access='read'/>
 <property name='ProfilingInhibitors' type='as' access='read'/>
 <property name='Metadata' type='a{ss}' access='read'/>
 <property name='Format' type='s' access='read'/>
</interface>
<interface name='org.freedesktop.ColorManager.Profile'>
 <property name='ProfileId' type='s' access='read'/><property name='Filename' type='s' access='read'/>
</interface></node>"""
DEV = "/org/freedesktop/ColorManager/devices/xrandr_test"
PROF = "/org/freedesktop/ColorManager/profiles/test"
filename = sys.argv[1]
node = Gio.DBusNodeInfo.new_for_xml(XML)
def call(conn, sender, path, iface, method, params, inv):
    # Only a lookup by the RandR output's name finds the display: the test
    # shows that the monitor's output is what is asked for.
    if method == "FindDeviceByProperty" and params.unpack()[0] == "XRANDR_name":
        print("lookup", params.unpack(), file=sys.stderr, flush=True)
        inv.return_value(GLib.Variant("(o)", (DEV,)))
    elif method == "FindDeviceByProperty":
        inv.return_dbus_error("org.freedesktop.ColorManager.NotFound", "no such device")
    else:
        inv.return_value(GLib.Variant("(ao)", ([],)))
def prop(conn, sender, path, iface, name):
    v = {"DaemonVersion": GLib.Variant("s", "1.4.6"), "Kind": GLib.Variant("s", "display"),
         "Model": GLib.Variant("s", "Test Monitor"), "Profiles": GLib.Variant("ao", [PROF]),
         "Filename": GLib.Variant("s", filename), "Enabled": GLib.Variant("b", True),
         "ProfilingInhibitors": GLib.Variant("as", []), "Metadata": GLib.Variant("a{ss}", {}),
         "Format": GLib.Variant("s", "ColorModel.OutputMode.OutputResolution")}
    if name == "DeviceId":
        return GLib.Variant("s", "xrandr-test")
    if name == "ProfileId":
        return GLib.Variant("s", "icc-test")
    return v[name]
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM)
for path, i in (("/org/freedesktop/ColorManager", 0), (DEV, 1), (PROF, 2)):
    bus.register_object(path, node.interfaces[i], call, prop, None)
def acquired(*a):
    print("ready", flush=True)
Gio.bus_own_name_on_connection(bus, "org.freedesktop.ColorManager", 0, acquired, None)
GLib.MainLoop().run()
