# SPDX-License-Identifier: GPL-3.0-or-later
"""A plugin for the test suite: it extends the application and each window
through Capa's plugin interfaces, and undoes everything on deactivation."""

import gi

gi.require_version("Capa", "1.0")
gi.require_version("Gtk", "3.0")

from gi.repository import Capa, Gio, GObject, Gtk  # noqa: E402


class TestAppPlugin(GObject.Object, Capa.AppActivatable):
    app = GObject.Property(type=Capa.Application)

    def do_activate(self):
        self.action = Gio.SimpleAction.new("capatest-ping", None)
        self.app.add_action(self.action)

    def do_deactivate(self):
        self.app.remove_action("capatest-ping")
        self.action = None


class TestWindowPlugin(GObject.Object, Capa.WindowActivatable):
    window = GObject.Property(type=Capa.Window)

    def do_activate(self):
        self.button = Gtk.Button(label="Test Plugin")
        self.button.set_name("capatest-button")
        self.button.show()
        self.window.add_header_widget(self.button, Gtk.PackType.START)

    def do_deactivate(self):
        self.button.destroy()
        self.button = None
