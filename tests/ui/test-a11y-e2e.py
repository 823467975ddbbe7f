#!/usr/bin/python3
# test-a11y-e2e.py: the whole wizard through the accessibility tree, the way a
# screen-reader user goes through it, ending with a real test email in the
# private Postfix's Maildir.
#
# What it does:
#   - starts smtp-setup ($SMTP_SETUP_BIN) with a throwaway HOME and XDG
#     directories (no saved accounts), with accessibility on (GTK_A11Y is
#     removed from the app's environment; the other tests turn it off);
#   - finds every control by its accessible name and role over AT-SPI
#     (pyatspi), types into entry rows with EditableText.setTextContents and
#     presses buttons with their "click" action;
#   - fills in: Your Name / Email Address -> Next; "Enter Server Settings
#     Yourself" (skips detection); Server Name = localhost, Port = "Another
#     port", Port Number = the submission port, Encryption = STARTTLS -> Next;
#     Password (User Name is prefilled with the address) -> Next; "Send a test
#     email", Send To -> Start Test;
#   - the private server's certificate comes from a CA made at test time, so
#     the first result is "The server's identity could not be confirmed": the
#     test presses "Trust This Certificate", then "Trust for This Account" in
#     the dialog (the app pins the certificate and tests again), exactly what a
#     person with a private server does, and expects "Your Email Is Working";
#   - checks that the message arrived in the Maildir (new/) with "SMTP Setup"
#     in its Subject and the typed name in From, and that the password shows up
#     in no accessible name or description and not in the app's output.
#
# The two combo rows (Port, Encryption). With GTK 4.8 / libadwaita 1.2 an
# AdwComboRow cannot be operated over AT-SPI: the row has no action, the
# list inside it only shows the current item (its Selection interface selects
# nothing), and the items of its popup have no actions. So they are operated
# with the keyboard, as a keyboard or screen-reader user would:
# `xdotool key alt+p` (the row's mnemonic, "_Port") opens the list with the
# focus on the selected item; Down moves through the items; Return picks one.
# AT-SPI is still the eyes: the test reads which list item has the focused
# state (its label) before each key press, and reads the row's value label
# afterwards. Under Xvfb without a window manager the app's window has the X
# input focus once it is mapped (checked, and set with `xdotool windowfocus`
# if not). Encryption is already STARTTLS after "Another port" (the app only
# changes it for 587/465/25), so the same helper finds nothing to do there
# unless that default changes.
#
# Other limits of AT-SPI here (GTK 4.8): entry text cannot be read back (so
# the prefilled User Name is checked on the result page's summary instead);
# every GtkStackPage and widget reports VISIBLE but never SHOWING, so the
# current page is read from the window subtitle (AdwWindowTitle, the page's
# title) and widgets are looked up inside that page's subtree; each D-Bus
# call costs a few milliseconds (no cache, no Collection interface), so the
# searches are kept to one page. A switch or radio button labelled-by its
# AdwActionRow reads as its type name ("GtkSwitch", "GtkCheckButton"), so
# those are found through their row; such unnamed controls are listed as
# TAP comments at the start (not a failure: some are inside libadwaita).
#
# Output is TAP; each step is one test point and a failing step marks the
# ones after it "not ok ... not run". Everything is bounded: each wait has a
# deadline and the whole run is stopped after TOTAL_TIMEOUT seconds. The app,
# and the accessibility bus this test starts, are always stopped at the end.
#
# The server comes from tests/scripts/postfix.sh (keyfile in
# $SMTP_TEST_POSTFIX); without it the steps are skipped, or fail when
# $SMTP_TEST_REQUIRE_POSTFIX=1. The password is read from its file and only
# ever typed into the app over AT-SPI: never in argv, the environment or the
# output.
#
# Needs DISPLAY and a session bus (SMTP_TEST_NEEDS=display,bus under
# build-aux/headless-run.sh), python3-pyatspi, gir1.2-atspi-2.0, at-spi2-core
# and xdotool.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import configparser
import email
import email.header
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOTAL_TIMEOUT = 120
BIN = os.environ.get("SMTP_SETUP_BIN", "smtp-setup")
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"

# The driver itself must not abort on a GLib warning from libatspi (it warns
# about GTK 4 having no AT-SPI cache object); the app keeps the tests' G_DEBUG.
APP_G_DEBUG = os.environ.get("G_DEBUG")
os.environ.pop("G_DEBUG", None)
os.environ.pop("GTK_A11Y", None)

pyatspi = None  # imported once the accessibility bus is up


class StepFailed(Exception):
    pass


class Timeout(Exception):
    pass


# Helpers: waiting ----------------------------------------------------------

def wait_for(what, func, timeout, interval=0.05):
    """Polls func until it returns something true; fails after timeout s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = func()
            if value:
                return value
        except (Timeout, StepFailed):
            raise
        except Exception as e:  # a widget may vanish while the page changes
            last_error = e
        if time.monotonic() >= deadline:
            detail = " (last error: %s)" % last_error if last_error else ""
            raise StepFailed("timed out after %g s waiting for %s%s" % (timeout, what, detail))
        time.sleep(interval)


def run_tool(*args, timeout=10):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout.strip(), proc.stderr.strip()


# Helpers: the accessibility tree ---------------------------------------------

def role(acc):
    return acc.getRoleName()


def name(acc):
    acc.clear_cache()
    return acc.name or ""


def plain(text):
    """An accessible name without mnemonic underscores. GTK 4.8 names a
    button with a mnemonic "_Next Next" (its label, then its child label's
    text): that becomes "Next"."""
    text = text.replace("_", "")
    half = len(text) // 2
    if len(text) % 2 == 1 and text[:half] == text[half + 1:] and text[half] == " ":
        return text[:half]
    return text


def states(acc):
    acc.clear_cache()
    return set(acc.getState().getStates())


def children(acc):
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is not None:
            yield child


def walk(acc, prune=None):
    yield acc
    for child in children(acc):
        if prune is not None and prune(child):
            continue
        yield from walk(child, prune)


def find_all(root, want_role, want_name):
    return [a for a in walk(root) if role(a) == want_role and plain(name(a)) == want_name]


def find(root, want_role, want_name, timeout=5):
    return wait_for("%s \u201c%s\u201d" % (want_role, want_name),
                    lambda: (find_all(root, want_role, want_name) or [None])[0], timeout)


def do_action(acc, action):
    act = acc.queryAction()
    names = [act.getName(i) for i in range(act.nActions)]
    if action not in names:
        raise StepFailed("\u201c%s\u201d has no %s action (it has %s)" % (name(acc), action, names))
    if not act.doAction(names.index(action)):
        raise StepFailed("the %s action of \u201c%s\u201d failed" % (action, name(acc)))


def set_text(root, row_name, text, what=None):
    row = find(root, "text", row_name)
    if not row.queryEditableText().setTextContents(text):
        raise StepFailed("could not type into \u201c%s\u201d" % row_name)
    return row


def control_in_row(root, row_name, control_role):
    """The switch or radio button of the row named row_name. Found through
    the row: in GTK 4.8 a control labelled-by an AdwActionRow gets no name
    from it (it reads as its type name)."""
    def lookup():
        for row in find_all(root, "list item", row_name):
            for acc in walk(row):
                if role(acc) == control_role:
                    return acc
        return None
    return wait_for("the %s in the row \u201c%s\u201d" % (control_role, row_name), lookup, 5)


def unnamed_controls(root):
    """Controls a screen reader would read by a widget type name or not at all."""
    controls = ("push button", "toggle button", "check box", "radio button", "text",
                "password text", "combo box", "switch", "link", "menu item")
    found = []
    for acc in walk(root):
        if role(acc) in controls:
            n = name(acc)
            if not n or (n.startswith(("Gtk", "Adw")) and " " not in n):
                found.append("%s named %r (description %r)" % (role(acc), n, acc.description))
    return found


def labels(root):
    return [name(a) for a in walk(root) if role(a) in ("label", "status bar")]


def page_says(root):
    """The first texts of a page (title, explanation, advice), for messages."""
    try:
        return " | ".join(t for t in labels(root)[:3] if t)
    except Exception as e:  # the app may be gone
        return "(cannot read the page: %s)" % e


# The accessible name of each wizard page (its title) and the page it is.
PAGE_TITLES = {
    "Your Email Address": "SmtpAddressPage",
    "Finding Your Settings": "SmtpDetectPage",
    "Outgoing Server": "SmtpServerPage",
    "Sign In": "SmtpSigninPage",
    "Test": "SmtpTestPage",
    "Result": "SmtpResultPage",
}


class App:
    """The running app as seen over AT-SPI."""

    def __init__(self, proc):
        self.proc = proc
        self.acc = None
        self.frame = None
        self.pages = {}
        self.chrome = []
        self.subtitle = None

    def connect(self):
        def lookup():
            if self.proc.poll() is not None:
                raise StepFailed("the app exited with status %d" % self.proc.returncode)
            desktop = pyatspi.Registry.getDesktop(0)
            for app in children(desktop):
                try:
                    if app.get_process_id() == self.proc.pid:
                        return app
                except Timeout:
                    raise
                except Exception:  # another app going away
                    pass
            return None

        self.acc = wait_for("the app on the accessibility bus", lookup, 45, 0.1)
        self.frame = wait_for("the main window", lambda: next(
            (w for w in children(self.acc) if role(w) == "frame" and name(w) == "SMTP Setup"),
            None), 20)

        # The wizard's pages (all of them are in the tree at all times) and
        # the window's own controls (header bar) outside them.
        # A page is named by its title (SmtpPage sets its accessible name).
        def is_page(acc):
            n = name(acc)
            if role(acc) == "filler" and n in PAGE_TITLES:
                self.pages[PAGE_TITLES[n]] = acc
                return True
            if role(acc) == "filler" and n.startswith("Smtp") and n.endswith(("Page", "View")):
                self.pages[n] = acc
                return True
            return False

        def scan():
            self.pages.clear()
            self.chrome = list(walk(self.frame, prune=is_page))
            return "SmtpResultPage" in self.pages and "SmtpAddressPage" in self.pages

        wait_for("the wizard's pages in the tree", scan, 20, 0.2)
        chrome_labels = [a for a in self.chrome if role(a) == "label"]
        for i, label in enumerate(chrome_labels[:-1]):
            if name(label) == "SMTP Setup":
                self.subtitle = chrome_labels[i + 1]
                break
        if self.subtitle is None:
            raise StepFailed("no window subtitle (the current page's title) in the header bar")

    def page_title(self):
        return name(self.subtitle)

    def wait_page(self, title, timeout=15):
        def check():
            if self.proc.poll() is not None:
                raise StepFailed("the app exited with status %d" % self.proc.returncode)
            return self.page_title() == title
        try:
            wait_for("the page \u201c%s\u201d" % title, check, timeout)
        except StepFailed as e:
            raise StepFailed("%s; the window shows \u201c%s\u201d" % (e, self.page_title()))

    def page(self, type_name):
        return self.pages[type_name]

    def header_button(self, label):
        for acc in self.chrome:
            if role(acc) == "push button" and plain(name(acc)) == label:
                return acc
        raise StepFailed("no \u201c%s\u201d button in the header bar" % label)

    def press(self, label, root=None, timeout=10):
        """Clicks a button by its name once it is sensitive."""
        button = self.header_button(label) if root is None else find(root, "push button", label)
        wait_for("\u201c%s\u201d to become available" % label,
                 lambda: pyatspi.STATE_SENSITIVE in states(button), timeout)
        do_action(button, "click")

    # The keyboard, for what AT-SPI cannot operate --------------------------

    def ensure_keyboard_focus(self):
        status, focused, _ = run_tool("xdotool", "getwindowfocus", "getwindowname")
        if status != 0 or focused != "SMTP Setup":
            status, ids, err = run_tool("xdotool", "search", "--pid", str(self.proc.pid),
                                        "--name", "^SMTP Setup$")
            if status != 0 or not ids:
                raise StepFailed("cannot find the app's X window to focus: %s" % err)
            run_tool("xdotool", "windowfocus", ids.split()[0])
        wait_for("the window to be active (keyboard focus)",
                 lambda: pyatspi.STATE_ACTIVE in states(self.frame), 5)

    def key(self, keysym):
        status, _, err = run_tool("xdotool", "key", keysym)
        if status != 0:
            raise StepFailed("xdotool key %s failed: %s" % (keysym, err))


def combo_value(combo):
    """The selected item of an AdwComboRow: the label after its title."""
    texts = [name(a) for a in walk(combo) if role(a) == "label"]
    return texts[1] if len(texts) > 1 else None


def combo_focused_item(combo):
    """The label of the list item with the keyboard focus in the combo row's
    open list, or None while the list is closed."""
    for acc in walk(combo):
        if role(acc) == "list item" and pyatspi.STATE_FOCUSED in states(acc):
            texts = [name(a) for a in walk(acc) if role(a) == "label"]
            return texts[0] if texts else ""
    return None


def choose(app, page, combo_name, mnemonic, option, n_items):
    """Selects option in the AdwComboRow combo_name with the keyboard: its
    mnemonic opens the list, Down moves, Return picks."""
    combo = find(page, "combo box", combo_name)
    if combo_value(combo) == option:
        return
    app.ensure_keyboard_focus()
    app.key(mnemonic)
    current = wait_for("the %s list to open after %s" % (combo_name, mnemonic),
                       lambda: combo_focused_item(combo), 5)
    for _ in range(n_items):
        if current == option:
            break
        app.key("Down")
        previous = current
        current = wait_for("the focus to move in the %s list" % combo_name,
                           lambda: (lambda c: c if c and c != previous else None)(
                               combo_focused_item(combo)), 5)
    if current != option:
        raise StepFailed("\u201c%s\u201d is not in the %s list" % (option, combo_name))
    app.key("Return")
    wait_for("%s to show \u201c%s\u201d" % (combo_name, option),
             lambda: combo_value(combo) == option and combo_focused_item(combo) is None, 5)


# The server -----------------------------------------------------------------

def load_postfix():
    path = os.environ.get("SMTP_TEST_POSTFIX")
    if not path:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path):
        raise StepFailed("cannot read %s" % path)
    info = dict(parser["postfix"])
    with open(info["password_file"]) as f:
        info["password"] = f.read().strip()
    return info


def maildir_files(info):
    try:
        return set(os.listdir(os.path.join(info["maildir"], "new")))
    except FileNotFoundError:
        return set()


# The steps ------------------------------------------------------------------

class Run:
    def __init__(self, info):
        self.info = info
        self.tmp = tempfile.mkdtemp(prefix="smtp-a11y-e2e.")
        self.person = "Screen Reader Test %s" % secrets.token_hex(3)
        self.proc = None
        self.launcher = None
        self.app = None
        self.first_result = None
        self.before = set()

    # Set-up and clean-up

    def start_a11y_bus(self):
        """Starts the accessibility bus here, with its output in a log file:
        started on demand by the session bus, its registry daemon would
        print a line on this test's stdout (and break TAP)."""
        global pyatspi
        log = open(os.path.join(self.tmp, "a11y-bus.log"), "w")
        self.launcher = subprocess.Popen([LAUNCHER, "--launch-immediately"], stdout=log,
                                         stderr=log, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        wait_for("the accessibility bus (org.a11y.Bus)", lambda: run_tool(
            "gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
            "--object-path", "/org/freedesktop/DBus", "--method",
            "org.freedesktop.DBus.NameHasOwner", "org.a11y.Bus")[1] == "(true,)", 10, 0.1)
        import pyatspi as module
        pyatspi = module

    def start_app(self):
        env = dict(os.environ)
        env.pop("GTK_A11Y", None)
        if APP_G_DEBUG is not None:
            env["G_DEBUG"] = APP_G_DEBUG
        # In a sanitizer build: the app is killed at the end, so it never
        # makes a leak report, and the slow unwinder on every malloc (there
        # for leak suppressions) makes it start in 25 s instead of 4.
        if "ASAN_OPTIONS" in env:
            env["ASAN_OPTIONS"] = ":".join(
                o for o in env["ASAN_OPTIONS"].split(":")
                if o and not o.startswith("fast_unwind_on_malloc="))
        for sub in ("home", "config", "data", "cache"):
            os.makedirs(os.path.join(self.tmp, sub))
        env.update(HOME=os.path.join(self.tmp, "home"),
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_DATA_HOME=os.path.join(self.tmp, "data"),
                   XDG_CACHE_HOME=os.path.join(self.tmp, "cache"),
                   GSETTINGS_BACKEND="memory")
        self.app_log = os.path.join(self.tmp, "app.log")
        with open(self.app_log, "w") as log:
            self.proc = subprocess.Popen([BIN], env=env, stdout=log, stderr=log,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        self.app = App(self.proc)

    def stop(self):
        for proc in (self.proc, self.launcher):
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            except ProcessLookupError:
                pass

    def kill_now(self):
        """From the watchdog: unblocks whatever waits on the app."""
        for proc in (self.proc, self.launcher):
            if proc is not None and proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def app_output(self):
        try:
            with open(self.app_log, errors="replace") as f:
                text = f.read()
        except (OSError, AttributeError):
            return ""
        return text.replace(self.info["password"], "<password>") if self.info else text

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # The steps, in order

    def step_app_starts_accessible(self):
        if not os.environ.get("DISPLAY"):
            raise StepFailed("no DISPLAY: run under build-aux/headless-run.sh with "
                             "SMTP_TEST_NEEDS=display,bus")
        self.start_a11y_bus()
        self.start_app()
        self.app.connect()
        self.app.wait_page("Your Email Address", 20)
        # Not a failure (some are inside libadwaita), but worth seeing in the log.
        for line in unnamed_controls(self.app.frame):
            comment("unnamed control: " + line)

    def step_address_page(self):
        page = self.app.page("SmtpAddressPage")
        set_text(page, "Your Name", self.person)
        set_text(page, "Email Address", self.info["from"])
        self.app.press("Next")
        self.app.wait_page("Finding Your Settings")

    def step_detect_page_skipped(self):
        page = self.app.page("SmtpDetectPage")
        self.app.press("Enter Server Settings Yourself", root=page)
        self.app.wait_page("Outgoing Server")

    def step_server_page(self):
        app = self.app
        page = app.page("SmtpServerPage")
        set_text(page, "Server Name", "localhost")
        choose(app, page, "Port", "alt+p", "Another port", 4)
        set_text(page, "Port Number", str(self.info["submission_port"]))
        choose(app, page, "Encryption", "alt+e", "STARTTLS", 3)
        app.press("Next")
        app.wait_page("Sign In")

    def step_signin_page(self):
        page = self.app.page("SmtpSigninPage")
        find(page, "text", "User Name")  # prefilled; checked on the result page
        switch = control_in_row(page, "The server needs a password", "check box")
        if pyatspi.STATE_CHECKED not in states(switch):
            raise StepFailed("\u201cThe server needs a password\u201d is off")
        set_text(page, "Password", self.info["password"])
        # The password must not be readable from the tree.
        for acc in walk(page):
            acc.clear_cache()
            if self.info["password"] in (acc.name or "") + (acc.description or ""):
                raise StepFailed("the password is exposed as an accessible name or description "
                                 "(%s)" % role(acc))
        self.app.press("Next")
        self.app.wait_page("Test")

    def step_test_page_finds_private_certificate(self):
        page = self.app.page("SmtpTestPage")
        check = control_in_row(page, "Send a test email", "check box")
        if pyatspi.STATE_CHECKED not in states(check):
            act = check.queryAction()
            act.doAction(0)
            wait_for("\u201cSend a test email\u201d to be chosen",
                     lambda: pyatspi.STATE_CHECKED in states(check), 5)
        set_text(page, "Send To", self.info["to"])
        self.before = maildir_files(self.info)
        self.app.press("Start Test")
        self.app.wait_page("Result", 40)
        result = self.app.page("SmtpResultPage")
        texts = labels(result)
        self.first_result = texts[0] if texts else ""
        expected = "The server\u2019s identity could not be confirmed"
        if self.first_result != expected:
            raise StepFailed("expected \u201c%s\u201d (the test CA is not trusted yet); the "
                             "result page says: %s" % (expected, page_says(result)))

    def step_trust_certificate_and_send(self):
        app = self.app
        result = app.page("SmtpResultPage")
        app.press("Trust This Certificate", root=result)
        dialog = wait_for("the \u201cTrust This Certificate?\u201d dialog", lambda: next(
            (w for w in children(app.acc)
             if role(w) == "dialog" and name(w) == "Trust This Certificate?"), None), 10)
        # The fingerprint the person is asked to compare is in the dialog.
        # (AdwMessageDialog 1.2 has each response button twice in the tree,
        # for its two layouts; either emits the response.)
        app.press("Trust for This Account", root=dialog)

        def done():
            if self.proc.poll() is not None:
                raise StepFailed("the app exited with status %d" % self.proc.returncode)
            if app.page_title() != "Result":
                return False
            texts = labels(result)
            return texts and texts[0] != self.first_result and texts
        try:
            texts = wait_for("a new result after trusting the certificate", done, 40, 0.2)
        except StepFailed as e:
            raise StepFailed("%s; the result page says: %s" % (e, page_says(result)))
        if texts[0] != "Your Email Is Working":
            raise StepFailed("the result page says: %s" % page_says(result))
        # The summary: the prefilled user name, the port typed, STARTTLS.
        summary = {}
        for acc in walk(result):
            if role(acc) == "list item":
                row_labels = [name(a) for a in walk(acc) if role(a) == "label"]
                if len(row_labels) >= 2:
                    summary[row_labels[0]] = row_labels[1]
        want = {"Server": "localhost",
                "Port and encryption": "%s, STARTTLS" % self.info["submission_port"],
                "User name": self.info["user"]}
        for key, value in want.items():
            if summary.get(key) != value:
                raise StepFailed("summary row \u201c%s\u201d shows %r, expected %r"
                                 % (key, summary.get(key), value))
        for acc in walk(result):
            acc.clear_cache()
            if self.info["password"] in (acc.name or "") + (acc.description or ""):
                raise StepFailed("the password is shown on the result page (%s)" % role(acc))

    def step_message_arrived(self):
        def arrived():
            for entry in sorted(maildir_files(self.info) - self.before):
                with open(os.path.join(self.info["maildir"], "new", entry), "rb") as f:
                    msg = email.message_from_binary_file(f)
                sender = str(email.header.make_header(email.header.decode_header(
                    msg.get("From", ""))))
                if self.person in sender:
                    return msg
            return None
        msg = wait_for("the test email in %s/new" % self.info["maildir"], arrived, 30, 0.1)
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        if "SMTP Setup" not in subject:
            raise StepFailed("unexpected Subject: %r" % subject)
        if self.info["to"] not in (msg["To"] or ""):
            raise StepFailed("unexpected To: %r" % msg["To"])
        if self.info["from"] not in msg["From"]:
            raise StepFailed("unexpected From: %r" % msg["From"])

    def step_password_not_in_output(self):
        with open(self.app_log, errors="replace") as f:
            if self.info["password"] in f.read():
                raise StepFailed("the app printed the password")


STEPS = [
    ("app-starts-accessible", Run.step_app_starts_accessible),
    ("address-page", Run.step_address_page),
    ("detect-page-skipped", Run.step_detect_page_skipped),
    ("server-page-with-keyboard-combo-rows", Run.step_server_page),
    ("signin-page", Run.step_signin_page),
    ("test-finds-private-certificate", Run.step_test_page_finds_private_certificate),
    ("trust-certificate-and-send", Run.step_trust_certificate_and_send),
    ("message-arrived", Run.step_message_arrived),
    ("password-not-in-output", Run.step_password_not_in_output),
]


def comment(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


def main():
    print("1..%d" % len(STEPS), flush=True)
    try:
        info = load_postfix()
    except (OSError, KeyError, StepFailed) as e:
        for n, (step, _) in enumerate(STEPS, 1):
            print("not ok %d %s # the test mail server's settings: %s" % (n, step, e),
                  flush=True)
        return 1
    if info is None:
        required = os.environ.get("SMTP_TEST_REQUIRE_POSTFIX") == "1"
        for n, (step, _) in enumerate(STEPS, 1):
            if required:
                print("not ok %d %s # the test mail server is not running" % (n, step))
            else:
                print("ok %d %s # SKIP SMTP_TEST_POSTFIX is not set" % (n, step))
        return 1 if required else 0

    run = Run(info)

    def watchdog(signum, frame):
        run.kill_now()
        raise Timeout("the whole test took longer than %d s" % TOTAL_TIMEOUT)

    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(TOTAL_TIMEOUT)
    failed_step = None
    start = time.monotonic()
    try:
        for n, (step, func) in enumerate(STEPS, 1):
            if failed_step is not None:
                print("not ok %d %s # not run: %s failed" % (n, step, failed_step), flush=True)
                continue
            t0 = time.monotonic()
            try:
                func(run)
                print("ok %d %s" % (n, step), flush=True)
                comment("%.1f s" % (time.monotonic() - t0))
            except Exception as e:  # every failure becomes a TAP line
                failed_step = step
                print("not ok %d %s" % (n, step), flush=True)
                comment("%s: %s" % (type(e).__name__, e))
                if run.proc is not None and run.proc.poll() is not None:
                    comment("the app exited with status %d" % run.proc.returncode)
                output = run.app_output()
                if output:
                    comment("app output:\n" + output[-3000:])
    except Timeout as e:  # between steps
        failed_step = failed_step or "watchdog"
        comment(str(e))
    finally:
        signal.alarm(0)
        run.cleanup()
    comment("total %.1f s" % (time.monotonic() - start))
    return 1 if failed_step else 0


if __name__ == "__main__":
    sys.exit(main())
