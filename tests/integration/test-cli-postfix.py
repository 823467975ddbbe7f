#!/usr/bin/python3
# test-cli-postfix.py: `smtp-setup test` against the private Postfix, as a
# person or a script would run it: the message arrives over STARTTLS and
# implicit TLS with the right headers, a wrong password fails at sign-in
# with the category auth-failed, and the password shows up nowhere.
#
# The instance comes from tests/scripts/postfix.sh (keyfile in
# $SMTP_TEST_POSTFIX); without it the cases are skipped, or fail when
# $SMTP_TEST_REQUIRE_POSTFIX=1.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import configparser
import email
import email.header
import json
import os
import subprocess
import sys
import time

BIN = os.environ.get("SMTP_SETUP_BIN", "smtp-setup")
cases = []


def case(func):
    cases.append(func)
    return func


def load():
    path = os.environ.get("SMTP_TEST_POSTFIX")
    if not path:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    info = dict(parser["postfix"])
    with open(info["password_file"]) as f:
        info["password"] = f.read().strip()
    return info


def run(info, port, password, *extra):
    args = [BIN, "test", "--host", "localhost", "--port", str(port),
            "--user", info["user"], "--password-stdin",
            "--from", info["from"], "--to", info["to"],
            "--ca-file", info["ca_file"], "--timeout", "20", "--json", *extra]
    proc = subprocess.run(args, input=password + "\n", capture_output=True, text=True,
                          timeout=120)
    return proc


def maildir_files(info):
    new = os.path.join(info["maildir"], "new")
    try:
        return set(os.listdir(new))
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


def assert_no_secret(info, *texts):
    secret = info["password"]
    plain = base64.b64encode(("\0%s\0%s" % (info["user"], secret)).encode()).decode()
    for text in texts:
        assert secret not in text, "the password was printed"
        assert plain not in text, "the base64 credentials were printed"


def delivered(info, port, security):
    before = maildir_files(info)
    proc = run(info, port, info["password"], "--security", security, "--transcript")
    assert_no_secret(info, proc.stdout, proc.stderr)
    assert proc.returncode == 0, "exit %d: %s %s" % (proc.returncode, proc.stdout, proc.stderr)
    result = json.loads(proc.stdout)
    assert result["ok"] is True
    assert result["stage"] == "done"
    assert result["tls"]["version"] in ("TLS 1.2", "TLS 1.3"), result["tls"]
    cert = result["tls"]["certificate"]
    assert len(cert["sha256"]) == 64 and cert["subject"], cert
    assert cert["errors"] == [], cert
    assert "<credentials hidden>" in result["transcript"]
    added = wait_for_new(info, before)
    assert added, "no message arrived in the Maildir"
    with open(os.path.join(info["maildir"], "new", sorted(added)[0]), "rb") as f:
        msg = email.message_from_binary_file(f)
    assert info["from"] in msg["From"], msg["From"]
    assert info["to"] in msg["To"], msg["To"]
    assert msg["Message-ID"].endswith("@example.test>"), msg["Message-ID"]
    assert msg["Date"], "no Date header"
    assert "SMTP Setup" in str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    received = " ".join(msg.get_all("Received"))
    assert "ESMTPSA" in received, received


@case
def starttls_delivers(info):
    delivered(info, info["submission_port"], "starttls")


@case
def implicit_tls_delivers(info):
    delivered(info, info["smtps_port"], "tls")


@case
def check_only_signs_in(info):
    before = maildir_files(info)
    proc = run(info, info["submission_port"], info["password"], "--check-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["ok"] is True
    assert not wait_for_new(info, before, timeout=1), "--check-only sent a message"


@case
def wrong_password_is_auth_failed(info):
    wrong = "not-" + info["password"]
    for port, security in ((info["submission_port"], "starttls"), (info["smtps_port"], "tls")):
        proc = run(info, port, wrong, "--security", security)
        assert_no_secret(info, proc.stdout, proc.stderr)
        assert wrong not in proc.stdout + proc.stderr
        assert proc.returncode == 16, "exit %d: %s" % (proc.returncode, proc.stdout)
        result = json.loads(proc.stdout)
        assert result["ok"] is False
        assert result["stage"] == "auth"
        assert result["category"] == "auth-failed", result["category"]
        assert result["code"] == 535


@case
def untrusted_certificate_is_refused(info):
    args = [BIN, "test", "--host", "localhost", "--port", str(info["submission_port"]),
            "--user", info["user"], "--password-stdin", "--from", info["from"],
            "--timeout", "20", "--json"]
    proc = subprocess.run(args, input=info["password"] + "\n", capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 12, "exit %d: %s" % (proc.returncode, proc.stdout)
    result = json.loads(proc.stdout)
    assert result["category"] == "certificate-untrusted", result["category"]
    assert "unknown-ca" in result["tls"]["certificate"]["errors"]


def main():
    print("1..%d" % len(cases))
    info = load()
    failed = 0
    for n, func in enumerate(cases, 1):
        name = func.__name__.replace("_", "-")
        if info is None:
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
