#!/usr/bin/python3
# test-accounts-cli.py: `smtp-setup accounts` and `smtp-setup test --account`
# end to end, as a person would use them: add an account (the password on
# standard input goes to the real gnome-keyring of the private session),
# list it, test it against the private Postfix (the message arrives), see
# the recorded result, remove it (the password leaves the keyring too).
# Then the failures: no keyring at all, a broken settings file. At the end
# every file the app wrote and every line it printed is searched for the
# password: it must be in none of them.
#
# Runs inside build-aux/headless-run.sh with SMTP_TEST_NEEDS=bus,keyring;
# the mail server comes from tests/scripts/postfix.sh ($SMTP_TEST_POSTFIX).
# Without it the cases that need it are skipped, or fail when
# $SMTP_TEST_REQUIRE_POSTFIX=1.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import configparser
import email
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("SMTP_SETUP_BIN", "smtp-setup")
NAME = "Postfix test"
cases = []
printed = []


def case(needs_postfix=True):
    def register(func):
        cases.append((func, needs_postfix))
        return func
    return register


def load_postfix():
    path = os.environ.get("SMTP_TEST_POSTFIX")
    if not path:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    info = dict(parser["postfix"])
    with open(info["password_file"]) as f:
        info["password"] = f.read().strip()
    return info


class Env:
    """A home and XDG directories of the test's own for every run."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="smtp-accounts-cli-")
        self.vars = dict(os.environ)
        for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                         ("XDG_STATE_HOME", "state")):
            path = os.path.join(self.root, sub)
            os.makedirs(path)
            self.vars[var] = path
        self.vars.pop("DISPLAY", None)
        self.vars.pop("WAYLAND_DISPLAY", None)
        self.accounts = os.path.join(self.vars["XDG_CONFIG_HOME"], "smtp-setup", "accounts.ini")


ENV = Env()


def run(*args, stdin=None, env=None, timeout=120):
    proc = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True,
                          env=env or ENV.vars, timeout=timeout)
    printed.append(proc.stdout)
    printed.append(proc.stderr)
    return proc


def add_args(info, name, *extra, user=None):
    return ["accounts", "add", name, "--host", "localhost",
            "--port", str(info["submission_port"]), "--security", "starttls",
            "--user", user or info["user"], "--from", info["from"], "--name", "Test Person",
            "--ca-file", info["ca_file"], *extra]


def keyring_lookup(info, port):
    """The password secret-tool finds for the account, or None."""
    if shutil.which("secret-tool") is None:
        return None
    proc = subprocess.run(["secret-tool", "lookup", "user", info["user"], "server", "localhost",
                           "protocol", "smtp", "port", str(port)],
                          capture_output=True, text=True, env=ENV.vars, timeout=60)
    return proc.stdout if proc.returncode == 0 else ""


def maildir_files(info):
    try:
        return set(os.listdir(os.path.join(info["maildir"], "new")))
    except FileNotFoundError:
        return set()


def wait_for_new(info, before, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        added = maildir_files(info) - before
        if added:
            return added
        time.sleep(0.05)
    return set()


def show_json(name):
    proc = run("accounts", "show", name, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def detail(proc):
    return "exit %d\nstdout: %s\nstderr: %s" % (proc.returncode, proc.stdout, proc.stderr)


@case()
def add_saves_account_and_password(info):
    proc = run(*add_args(info, NAME, "--password-stdin"), stdin=info["password"] + "\n")
    assert proc.returncode == 0, detail(proc)
    assert "saved in the keyring" in proc.stdout, proc.stdout
    with open(ENV.accounts) as f:
        text = f.read()
    assert "[account %s]" % NAME in text, text
    assert "format-version=1" in text
    assert "port=%s" % info["submission_port"] in text
    found = keyring_lookup(info, info["submission_port"])
    if found is not None:
        assert found == info["password"], "secret-tool does not find the password"


@case()
def list_shows_account(info):
    proc = run("accounts", "list")
    assert proc.returncode == 0, detail(proc)
    assert NAME in proc.stdout and "localhost:%s" % info["submission_port"] in proc.stdout
    assert "never tested" in proc.stdout
    proc = run("accounts", "list", "--json")
    assert proc.returncode == 0, detail(proc)
    listed = json.loads(proc.stdout)
    [account] = [a for a in listed["accounts"] if a["name"] == NAME]
    assert account["host"] == "localhost"
    assert account["port"] == int(info["submission_port"])
    assert account["security"] == "starttls"
    assert account["user"] == info["user"]
    assert account["from_name"] == "Test Person"
    assert account["last_test"] is None
    assert listed["problems"] == []


@case()
def test_account_delivers_and_is_recorded(info):
    before = maildir_files(info)
    proc = run("test", "--account", NAME, "--to", info["to"], "--timeout", "20", "--json",
               "--transcript")
    assert proc.returncode == 0, detail(proc)
    result = json.loads(proc.stdout)
    assert result["ok"] is True and result["stage"] == "done", result
    assert "<credentials hidden>" in result["transcript"]
    added = wait_for_new(info, before)
    assert added, "no message arrived in the Maildir"
    with open(os.path.join(info["maildir"], "new", sorted(added)[0]), "rb") as f:
        msg = email.message_from_binary_file(f)
    assert info["from"] in msg["From"] and "Test Person" in msg["From"], msg["From"]
    assert "ESMTPSA" in " ".join(msg.get_all("Received"))

    account = show_json(NAME)
    last = account["last_test"]
    assert last is not None and last["ok"] is True, account
    assert last["stage"] == "done" and last["category"] is None, last
    assert last["time"], last
    proc = run("accounts", "show", NAME)
    assert proc.returncode == 0 and "Last test:" in proc.stdout and "succeeded" in proc.stdout, \
        detail(proc)


@case()
def failed_test_records_category(info):
    # Another user name, so the keyring keeps its password apart.
    wrong = "wrong-" + info["user"][::-1]
    proc = run(*add_args(info, "Wrong password", "--password-stdin", user="nobody@example.test"),
               stdin=wrong + "\n")
    assert proc.returncode == 0, detail(proc)
    proc = run("test", "--account", "Wrong password", "--check-only", "--timeout", "20",
               "--json")
    assert wrong not in proc.stdout + proc.stderr, "the wrong password was printed"
    assert proc.returncode == 16, detail(proc)
    assert json.loads(proc.stdout)["category"] == "auth-failed"
    last = show_json("Wrong password")["last_test"]
    assert last["ok"] is False and last["stage"] == "auth", last
    assert last["category"] == "auth-failed", last
    proc = run("accounts", "show", "Wrong password")
    assert "auth-failed" in proc.stdout, detail(proc)
    proc = run("accounts", "remove", "Wrong password")
    assert proc.returncode == 0, detail(proc)


@case()
def overrides_are_not_recorded(info):
    before = show_json(NAME)["last_test"]
    # Implicit TLS on the other port: the password is still the account's.
    proc = run("test", "--account", NAME, "--port", str(info["smtps_port"]), "--security", "tls",
               "--check-only", "--timeout", "20", "--json")
    assert proc.returncode == 0, detail(proc)
    assert "not recorded" in proc.stderr, proc.stderr
    assert show_json(NAME)["last_test"] == before


@case()
def remove_clears_password(info):
    proc = run("accounts", "remove", NAME)
    assert proc.returncode == 0, detail(proc)
    assert "removed from the keyring" in proc.stdout, proc.stdout
    found = keyring_lookup(info, info["submission_port"])
    if found is not None:
        assert found == "", "the password is still in the keyring"

    proc = run("accounts", "show", NAME)
    assert proc.returncode == 1, detail(proc)
    proc = run("test", "--account", NAME, "--check-only")
    assert proc.returncode == 2 and "no saved account" in proc.stderr, detail(proc)

    # Saved again without a password: the keyring has none for it any more.
    proc = run(*add_args(info, NAME))
    assert proc.returncode == 0, detail(proc)
    proc = run("test", "--account", NAME, "--check-only", "--timeout", "20")
    assert proc.returncode == 1 and "No password is saved" in proc.stderr, detail(proc)
    proc = run("accounts", "remove", NAME)
    assert proc.returncode == 0, detail(proc)


@case(needs_postfix=False)
def keyring_unavailable_is_explained(info):
    env = dict(ENV.vars)
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=%s/no-such-bus" % ENV.root
    args = ["accounts", "add", "Offline", "--host", "smtp.example.test", "--from",
            "ada@example.test", "--password-stdin"]
    started = time.monotonic()
    proc = run(*args, stdin="offline-secret\n", env=env, timeout=60)
    assert proc.returncode == 3, detail(proc)
    assert "keyring is not available" in proc.stderr, proc.stderr
    assert "was NOT saved" in proc.stderr, proc.stderr
    proc = run("accounts", "list", env=env)
    assert "Offline" in proc.stdout, detail(proc)

    proc = run("test", "--account", "Offline", "--check-only", "--json", env=env, timeout=60)
    assert proc.returncode == 69, detail(proc)
    assert "keyring is not available" in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["category"] == "keyring-unavailable", proc.stdout
    # Well within the keyring's own ten seconds: nothing waited on a bus.
    assert time.monotonic() - started < 15

    # Removed from the settings; the keyring could not be asked to forget it.
    proc = run("accounts", "remove", "Offline", env=env)
    assert proc.returncode == 3, detail(proc)
    assert "was removed" in proc.stdout and "could not be removed" in proc.stderr, detail(proc)
    proc = run("accounts", "show", "Offline")
    assert proc.returncode == 1, detail(proc)


@case(needs_postfix=False)
def broken_file_is_kept_aside(info):
    os.makedirs(os.path.dirname(ENV.accounts), exist_ok=True)
    broken = "[smtp-setup\nthis is not a settings file\n"
    with open(ENV.accounts, "w") as f:
        f.write(broken)
    proc = run("accounts", "list")
    assert proc.returncode == 1, detail(proc)
    assert "kept as" in proc.stderr, proc.stderr
    kept = [n for n in os.listdir(os.path.dirname(ENV.accounts)) if ".broken-" in n]
    assert len(kept) == 1, kept
    assert kept[0] in proc.stderr
    with open(os.path.join(os.path.dirname(ENV.accounts), kept[0])) as f:
        assert f.read() == broken
    proc = run("accounts", "list")
    assert proc.returncode == 0 and "No accounts" in proc.stdout, detail(proc)


def secret_forms(info):
    """The password as it could leak: plain, and base64 as AUTH PLAIN and LOGIN send it."""
    secret = info["password"]
    user = info["user"]
    forms = [secret,
             base64.b64encode(secret.encode()).decode(),
             base64.b64encode(("\0%s\0%s" % (user, secret)).encode()).decode(),
             base64.b64encode(("%s\0%s\0%s" % (user, user, secret)).encode()).decode()]
    return [f.encode() for f in forms]


@case()
def password_is_nowhere(info):
    forms = secret_forms(info)
    searched = 0
    for top, _, files in os.walk(ENV.root):
        for name in files:
            path = os.path.join(top, name)
            with open(path, "rb") as f:
                data = f.read()
            searched += 1
            for form in forms:
                assert form not in data, "the password is in " + path
    assert searched > 0, "no file was written"
    for text in printed:
        for form in forms:
            assert form.decode() not in text, "the password was printed"


def main():
    print("1..%d" % len(cases))
    info = load_postfix()
    failed = 0
    for n, (func, needs_postfix) in enumerate(cases, 1):
        name = func.__name__.replace("_", "-")
        if info is None and needs_postfix:
            if os.environ.get("SMTP_TEST_REQUIRE_POSTFIX") == "1":
                print("not ok %d %s # the test mail server is not running" % (n, name))
                failed += 1
            else:
                print("ok %d %s # SKIP SMTP_TEST_POSTFIX is not set" % (n, name))
            continue
        try:
            func(info)
            print("ok %d %s" % (n, name))
        except Exception as e:  # report every failure as a TAP line
            failed += 1
            print("not ok %d %s" % (n, name))
            for line in ("%s: %s" % (type(e).__name__, e)).splitlines():
                print("# " + line)
        sys.stdout.flush()
    shutil.rmtree(ENV.root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
