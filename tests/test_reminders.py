"""``handbok paminn`` sends owners their reminders through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import shutil
import socket
import ssl
import subprocess
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from conftest import FIXTURES, REPO
from handbok import reminders
from handbok.cli import main

TODAY = "2026-11-25"
REJECTED = "ame@kommunen.se"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it is given and can refuse one recipient."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> email.message.EmailMessage:
        return next(message for rcpts, message in self.messages if address in rcpts)


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "paminnelser", target)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")  # site_url, repo_url, edit_uri
    return target


@pytest.fixture
def relay():
    started: list[Controller] = []

    def start(handler: Mailbox, **options) -> int:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def paminn(project: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["--rot", str(project), "paminn", "--datum", TODAY, *args], env=env)


def test_each_owner_gets_one_message_with_links_dates_and_what_to_do(project, relay):
    mailbox = Mailbox()
    port = relay(mailbox)
    result = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se")
    # The role without a contact address is a failure, named, and the run says so.
    assert result.exit_code == 1, result.output
    assert "Påminnelse skickad till: Enhetschef, ekonomiskt bistånd <eb@kommunen.se>, " \
           "Arbetsmarknadskonsulent <ame@kommunen.se>." in result.output
    assert "fel: ingen påminnelse till Samordnare: rollen har ingen kontaktadress (contact) i roller.yml." \
        in result.output
    assert sorted(rcpts[0] for rcpts, _ in mailbox.messages) == ["ame@kommunen.se", "eb@kommunen.se"]

    chief = mailbox.to("eb@kommunen.se")
    assert chief["Subject"] == "Rutinhandboken: 2 rutiner att revidera"
    assert chief["Auto-Submitted"] == "auto-generated"
    text = chief.get_content()
    assert "Anvisning till praktik (version 1.0): ska vara reviderad senast 2027-01-10. Ska revideras inom 46 dagar." in text
    assert "https://rutiner.kommunen.se/gallande/rutiner/anvisning/snart-revidering/" in text
    assert "ska vara reviderad senast 2026-10-31. Försenad" in text
    assert "Anvisning till OSA" not in text  # in time: nothing to say
    assert "nämnden har fastställt" in text  # what to do

    consultant = mailbox.to("ame@kommunen.se")
    assert consultant["Subject"] == "Rutinhandboken: 1 lagändring att gå igenom"
    text = consultant.get_content()
    assert "Prop. 2026/27:1 (ny uppföljningsregel) träder i kraft 2027-01-01." in text
    assert "https://rutiner.kommunen.se/gallande/rutiner/uppfoljning/uppfoljning/" in text
    # A draft is not in the published version: the link opens its file in the forge.
    assert "Uppföljning av studier (utkast): https://git.kommunen.se/ifo/rutinhandboken/-/edit/main/" \
           "routines/utkast-uppfoljning.md" in text


def test_a_rejected_recipient_is_reported_and_the_others_still_get_theirs(project, relay):
    mailbox = Mailbox(refuse=REJECTED)
    port = relay(mailbox)
    result = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se")
    assert result.exit_code == 1
    assert "Påminnelse skickad till: Enhetschef, ekonomiskt bistånd <eb@kommunen.se>." in result.output
    assert (f"fel: ingen påminnelse till Arbetsmarknadskonsulent <{REJECTED}>: servern avvisade mottagaren "
            "(550 5.1.1 Mottagaren finns inte).") in result.output
    assert "1 meddelande skickade, 2 gick inte att skicka." in result.output
    assert [rcpts for rcpts, _ in mailbox.messages] == [["eb@kommunen.se"]]


def test_a_refused_connection_is_one_clear_message(project):
    port = _free_port()  # nothing listens there
    result = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se")
    assert result.exit_code == 1
    assert f"fel: e-postservern 127.0.0.1:{port} vägrade anslutningen; inga påminnelser skickades" in result.output
    assert "Traceback" not in result.output


def test_dry_run_prints_instead_of_sending(project):
    result = paminn(project, "--torrkorning")
    assert result.exit_code == 1  # the role without an address would not get its message
    assert "Till: \"Enhetschef, ekonomiskt bistånd\" <eb@kommunen.se>" in result.output
    assert "Till: Samordnare (ingen adress i roller.yml)" in result.output
    assert "har ingen kontaktadress i roller.yml och skulle inte få meddelandet" in result.output


def test_nothing_due_sends_nothing(project):
    result = paminn(project, "--torrkorning", "--dagar", "0", "--datum", "2026-05-01")
    assert result.exit_code == 0
    assert result.output.strip() == "Inget att påminna om: ingen revidering eller lagändring inom 0 dagar."


def test_sending_needs_a_relay_and_a_sender(project):
    result = paminn(project)
    assert result.exit_code == 2
    assert "--smtp, --fran saknas" in result.output
    assert "Ogiltigt värde för '--smtp'" in paminn(project, "--smtp", "smtp.kommunen.se", "--fran", "a@b.se").output


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    key, cert = tmp_path / "nyckel.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert


def test_login_goes_over_starttls_with_the_municipalitys_own_ca(project, relay, certificate):
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"relay", b"hemligt")
        logins.append(ok)
        return AuthResult(success=True) if ok else \
            AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    mailbox = Mailbox()
    port = relay(mailbox, tls_context=context, require_starttls=True, authenticator=authenticator,
                 auth_require_tls=True)
    env = {reminders.USER_VARIABLE: "relay", reminders.PASSWORD_VARIABLE: "hemligt", reminders.CA_VARIABLE: str(cert)}
    result = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se", env=env)
    assert logins == [True]
    assert len(mailbox.messages) == 2, result.output
    assert all(message["Subject"].startswith("Rutinhandboken: ") for _, message in mailbox.messages)
    wrong = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se",
                   env={**env, reminders.PASSWORD_VARIABLE: "fel"})
    assert wrong.exit_code == 1 and "e-postservern godtog inte inloggningen; inga påminnelser skickades" in wrong.output
    untrusted = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se",
                       env={**env, reminders.CA_VARIABLE: ""})
    assert untrusted.exit_code == 1 and "den krypterade anslutningen till" in untrusted.output


def test_a_login_is_never_sent_without_encryption(project, relay, monkeypatch):
    mailbox = Mailbox()
    port = relay(mailbox)  # offers no STARTTLS
    monkeypatch.setattr(reminders, "_loopback", lambda host: False)  # as if the relay were another machine
    env = {reminders.USER_VARIABLE: "relay", reminders.PASSWORD_VARIABLE: "hemligt"}
    result = paminn(project, "--smtp", f"127.0.0.1:{port}", "--fran", "rutinhandboken@kommunen.se", env=env)
    assert result.exit_code == 1
    assert "erbjuder inte STARTTLS, och inloggningen skickas aldrig okrypterad" in result.output
    assert mailbox.messages == []


def test_the_weekly_jobs_run_the_reminders():
    import yaml

    github = yaml.safe_load((REPO / ".github/workflows/paminnelser.yml").read_text(encoding="utf-8"))
    trigger = github.get("on") or github.get(True)  # YAML 1.1 reads the key on as true
    assert trigger["schedule"][0]["cron"].endswith("* * 1")  # every Monday
    steps = github["jobs"]["paminn"]["steps"]
    assert any("handbok paminn --smtp" in step.get("run", "") and "--fran" in step["run"] for step in steps)
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    job = gitlab["paminnelser"]
    assert any("handbok paminn --smtp" in line for line in job["script"])
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule" && $HANDBOK_PAMINN == "ja"'}]
    # The checks and tests do not run on the reminders' schedule.
    assert gitlab["tester"]["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}
