#!/usr/bin/python3
# test-cli-detect.py: `smtp-setup detect --json --no-probe` as a script would
# run it: the big providers come from the built-in list with the right host,
# port and security, without the network (online lookups off), and an
# unknown domain ends within its time bound even when DNS cannot answer.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import time

BIN = os.environ.get("SMTP_SETUP_BIN", "smtp-setup")
ENV = dict(os.environ, SMTP_SETUP_NO_ONLINE="1")
cases = []

# address, provider id, first candidate (host, port, security, username)
PROVIDERS = [
    ("ada@gmail.com", "gmail", "smtp.gmail.com", 465, "tls", "ada@gmail.com"),
    ("ada@googlemail.com", "gmail", "smtp.gmail.com", 465, "tls", "ada@googlemail.com"),
    ("ada@outlook.com", "outlook", "smtp-mail.outlook.com", 587, "starttls", "ada@outlook.com"),
    ("ada@hotmail.com", "outlook", "smtp-mail.outlook.com", 587, "starttls", "ada@hotmail.com"),
    ("ada@live.co.uk", "outlook", "smtp-mail.outlook.com", 587, "starttls", "ada@live.co.uk"),
    ("ada@yahoo.com", "yahoo", "smtp.mail.yahoo.com", 465, "tls", "ada@yahoo.com"),
    ("ada@yahoo.fr", "yahoo", "smtp.mail.yahoo.com", 465, "tls", "ada@yahoo.fr"),
    ("ada@aol.com", "aol", "smtp.aol.com", 465, "tls", "ada@aol.com"),
    ("ada@icloud.com", "icloud", "smtp.mail.me.com", 587, "starttls", "ada@icloud.com"),
    ("ada@gmx.de", "gmx", "mail.gmx.net", 465, "tls", "ada@gmx.de"),
    ("ada@web.de", "webde", "smtp.web.de", 465, "tls", "ada"),
    ("ada@t-online.de", "t-online", "securesmtp.t-online.de", 465, "tls", "ada@t-online.de"),
    ("ada@mail.ru", "mail-ru", "smtp.mail.ru", 465, "tls", "ada@mail.ru"),
    ("ada@yandex.ru", "yandex", "smtp.yandex.com", 465, "tls", "ada@yandex.ru"),
    ("ada@qq.com", "qq", "smtp.qq.com", 465, "tls", "ada@qq.com"),
    ("ada@163.com", "netease-163", "smtp.163.com", 465, "tls", "ada@163.com"),
    ("ada@naver.com", "naver", "smtp.naver.com", 465, "tls", "ada@naver.com"),
    ("ada@zoho.com", "zoho", "smtp.zoho.com", 465, "tls", "ada@zoho.com"),
    ("ada@fastmail.com", "fastmail", "smtp.fastmail.com", 465, "tls", "ada@fastmail.com"),
    ("ada@orange.fr", "orange", "smtp.orange.fr", 465, "tls", "ada@orange.fr"),
    ("ada@libero.it", "libero", "smtp.libero.it", 465, "tls", "ada@libero.it"),
    ("ada@comcast.net", "comcast", "smtp.comcast.net", 465, "tls", "ada@comcast.net"),
    ("Ada@GMAIL.COM", "gmail", "smtp.gmail.com", 465, "tls", "Ada@GMAIL.COM"),
]


def case(func):
    cases.append(func)
    return func


def detect(*args, timeout=20, env=ENV):
    proc = subprocess.run([BIN, "detect"] + list(args), capture_output=True, text=True,
                          timeout=timeout, env=env)
    return proc


def detect_json(*args, **kwargs):
    proc = detect("--json", "--no-probe", *args, **kwargs)
    assert proc.stdout.strip(), "no output; exit %d: %s" % (proc.returncode, proc.stderr)
    return proc, json.loads(proc.stdout)


def make_provider_case(address, provider_id, host, port, security, username):
    def check():
        proc, result = detect_json(address)
        assert proc.returncode == 0, "exit %d: %s" % (proc.returncode, proc.stderr)
        assert set(result) >= {"address", "provider", "candidates", "notes"}, result
        assert result["address"] == address, result["address"]
        assert result["provider_id"] == provider_id, result["provider_id"]
        assert isinstance(result["provider"], str) and result["provider"], result["provider"]
        first = result["candidates"][0]
        got = (first["host"], first["port"], first["security"], first["username"])
        assert got == (host, port, security, username), got
        assert first["source"] == "providers", first["source"]
        assert [c["rank"] for c in result["candidates"]] == \
            list(range(1, len(result["candidates"]) + 1))
        assert all(isinstance(n, str) for n in result["notes"])
        # Online lookups were off: no note says the domain was sent anywhere.
        assert not any("thunderbird" in n.lower() for n in result["notes"]), result["notes"]
    check.__name__ = "provider_" + address.split("@")[1].replace(".", "_")
    return check


for row in PROVIDERS:
    case(make_provider_case(*row))


@case
def app_password_note():
    _, result = detect_json("ada@gmail.com")
    assert any("app password" in n for n in result["notes"]), result["notes"]
    assert result["help_uri"].startswith("https://"), result["help_uri"]


@case
def no_smtp_provider():
    proc, result = detect_json("ada@tutanota.com")
    assert proc.returncode == 1, proc.returncode
    assert result["candidates"] == [], result["candidates"]
    assert any("SMTP" in n for n in result["notes"]), result["notes"]


@case
def unknown_domain_is_bounded():
    # .invalid never resolves (RFC 6761); whatever DNS does here, the bound holds.
    start = time.monotonic()
    proc, result = detect_json("--timeout", "2", "ada@example.invalid", timeout=30)
    elapsed = time.monotonic() - start
    assert elapsed < 10, "took %.1f s" % elapsed
    assert proc.returncode == 0, proc.returncode
    assert result["provider"] is None, result["provider"]
    for candidate in result["candidates"]:
        assert candidate["source"] == "guess", candidate
        assert candidate["verified"] is False, candidate


@case
def no_online_option():
    env = dict(os.environ)
    env.pop("SMTP_SETUP_NO_ONLINE", None)
    proc, result = detect_json("--no-online", "ada@yahoo.com", env=env)
    assert proc.returncode == 0, proc.returncode
    assert result["candidates"][0]["host"] == "smtp.mail.yahoo.com", result["candidates"]


@case
def plain_output():
    proc = detect("--no-probe", "ada@gmail.com")
    assert proc.returncode == 0, proc.returncode
    assert "smtp.gmail.com" in proc.stdout, proc.stdout
    assert "465" in proc.stdout, proc.stdout


@case
def invalid_address_is_a_usage_error():
    proc = detect("--json", "--no-probe", "not an address")
    assert proc.returncode == 2, proc.returncode
    assert proc.stdout == "", proc.stdout
    proc = detect("--json")
    assert proc.returncode == 2, proc.returncode


@case
def help_documents_online_switch():
    proc = detect("--help")
    assert proc.returncode == 0, proc.returncode
    assert "SMTP_SETUP_NO_ONLINE" in proc.stdout, proc.stdout
    assert "--no-probe" in proc.stdout, proc.stdout


def main():
    print("1..%d" % len(cases))
    failed = 0
    for n, func in enumerate(cases, 1):
        name = func.__name__.replace("_", "-")
        try:
            func()
            print("ok %d %s" % (n, name))
        except Exception as e:  # report every failure as a TAP line
            failed += 1
            print("not ok %d %s" % (n, name))
            for line in ("%s: %s" % (type(e).__name__, e)).splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
