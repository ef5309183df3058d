"""``handbok paminn``: e-mail each routine owner what is due.

Each owner role in the roles register gets one message at its contact
address (a function mailbox), in Swedish, listing the routines it owns whose
review is due within ``--dagar`` days or overdue, and the changes in the law
that concern its routines but that the routines do not yet take into account
(the law-change watch, ``core.state.law_change_states``). Nothing is sent to a
role with nothing to say. ``--torrkorning`` prints the messages instead.

Mail goes through the municipality's relay (``--smtp VÄRD:PORT``) with
STARTTLS when the relay offers it; a login (``HANDBOK_SMTP_ANVANDARE`` and
``HANDBOK_SMTP_LOSENORD``, from the environment, never from the repository)
is only sent over an encrypted connection. ``HANDBOK_SMTP_CA`` names a file of
CA certificates when the relay uses the municipality's own CA.

Exit codes: 0 = every message sent (or printed), 1 = something was not sent
(the output says exactly who got a message and who did not), 2 = bad call.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import ssl
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

import click

from . import model
from .cli_types import DATE
from .core.addresses import routine_url
from .core.build import ALIAS
from .core.context import DEFAULT_REVIEW_WARNING_DAYS, BuildContext
from .core.errors import HandbookError
from .core.handbook import Handbook, RoutineSource
from .core.loader import has_errors, load_handbook
from .core.site_config import forge_edit_root, site_url
from .core.state import LawChange, ReviewState, count, law_change_states, reader_statuses, review_state

USER_VARIABLE = "HANDBOK_SMTP_ANVANDARE"
PASSWORD_VARIABLE = "HANDBOK_SMTP_LOSENORD"
CA_VARIABLE = "HANDBOK_SMTP_CA"
TIMEOUT = 30  # seconds for the relay to answer


@dataclass
class Reminder:
    """What one owner role is told."""

    role: model.Role
    reviews: list[tuple[RoutineSource, ReviewState]] = field(default_factory=list)
    law: list[tuple[LawChange, list[RoutineSource]]] = field(default_factory=list)

    @property
    def address(self) -> str | None:
        return self.role.contact

    def subject(self) -> str:
        parts = []
        if self.reviews:
            parts.append(count(len(self.reviews), "rutin att revidera", "rutiner att revidera"))
        if self.law:
            parts.append(count(len(self.law), "lagändring att gå igenom", "lagändringar att gå igenom"))
        return "Rutinhandboken: " + " och ".join(parts)


def collect(handbook: Handbook, context: BuildContext) -> list[Reminder]:
    """The reminders for every owner role with something due, in the roles register's order."""
    reminders: dict[str, Reminder] = {}

    def reminder(role_id: str) -> Reminder | None:
        role = handbook.roles.get(role_id)
        if role is None:
            return None  # an unknown owner is RH201, reported by the checker
        return reminders.setdefault(role_id, Reminder(role))

    statuses = reader_statuses(handbook, context)
    for source in handbook.sorted_routines():
        routine = source.routine
        if not statuses[routine.id].decided:  # a review date is a promise only once the nämnd approved it
            continue
        state = review_state(routine, context)
        if state.key != "i-tid" and (entry := reminder(routine.owner)) is not None:
            entry.reviews.append((source, state))
    horizon = context.today + dt.timedelta(days=context.review_warning_days)
    for change in law_change_states(handbook, context.today):
        if change.legal.in_force_from > horizon:
            continue
        by_owner: dict[str, list[RoutineSource]] = {}
        for source in change.missing:
            by_owner.setdefault(source.routine.owner, []).append(source)
        for owner, sources in by_owner.items():
            if (entry := reminder(owner)) is not None:
                entry.law.append((change, sources))
    order = {role_id: index for index, role_id in enumerate(handbook.roles)}
    return sorted(reminders.values(), key=lambda r: order.get(r.role.id, len(order)))


@dataclass(frozen=True)
class Addresses:
    """Where a reminder's links go: the published site and the forge's editor."""

    site: str | None = None
    edit: str | None = None

    def of(self, source: RoutineSource) -> str:
        """A routine in force in the version in force on the site; a draft (not published
        there) in the forge's editor; the file's path when neither is known."""
        if source.routine.status != "gällande":  # a draft is not in the published version
            path = f"routines/{source.path.name}"
            return self.edit + path if self.edit else path
        path = f"{ALIAS}/{routine_url(source.routine)}"
        return self.site + path if self.site else path


def body(reminder: Reminder, links: Addresses, context: BuildContext) -> str:
    role = reminder.role
    lines = ["Hej!", "",
             f"Det här är en påminnelse från Rutinhandboken till rutinägaren {role.name} ({role.unit}).", ""]
    if reminder.reviews:
        lines += ["Rutiner som ska revideras:", ""]
        for source, state in reminder.reviews:
            routine = source.routine
            lines += [f"- {routine.title} (version {routine.version}): ska vara reviderad senast "
                      f"{routine.review_by}. {state.label}.",
                      f"  {links.of(source)}"]
        lines += ["", "Så gör du: Gå igenom rutinen och ändra det som behövs. Ett nytt revideringsdatum gäller "
                      "först när nämnden har fastställt det i nästa version av handboken, också om rutinen inte "
                      "behöver ändras (granskad utan ändring). Hör av dig till nämndsekreteraren i god tid före "
                      "nämndens sammanträde.", ""]
    if reminder.law:
        lines += ["Lagändringar som berör dina rutiner:", ""]
        for change, sources in reminder.law:
            legal = change.legal
            when = "träder i kraft" if legal.in_force_from > context.today else "gäller sedan"
            lines.append(f"- {legal.citation} {when} {legal.in_force_from}. Rutinerna hänvisar inte till den ännu:")
            for source in sources:
                draft = " (utkast)" if source.routine.status == "utkast" else ""
                lines.append(f"  - {source.routine.title}{draft}: {links.of(source)}")
        lines += ["", "Så gör du: Gå igenom rutinerna mot ändringen. Tar en rutin upp den, skriv in vad ändringen "
                      "betyder i arbetet och hänvisa till bestämmelsen, så att nämnden kan fastställa den nya "
                      "versionen. Berör ändringen inte rutinen, säg det till den som förvaltar lagrumsregistret.", ""]
    lines += ["Meddelandet skickas automatiskt varje vecka så länge något är på väg att bli försenat. Det går "
              "till rollens funktionsbrevlåda i rollregistret, inte till en person.", "",
              "Rutinhandboken"]
    return "\n".join(lines) + "\n"


def message(reminder: Reminder, sender: str, links: Addresses, context: BuildContext) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = formataddr(("Rutinhandboken", sender))
    if reminder.address:
        mail["To"] = formataddr((reminder.role.name, reminder.address))
    mail["Subject"] = reminder.subject()
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a reminder
    mail.set_content(body(reminder, links, context))
    return mail


# --- sending ------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def _tls_context() -> ssl.SSLContext:
    ca = os.environ.get(CA_VARIABLE)
    if ca and not Path(ca).is_file():
        raise HandbookError(f"{CA_VARIABLE} pekar på {ca}, som inte finns",
                            "Ange sökvägen till en fil med CA-certifikat i PEM-format.")
    return ssl.create_default_context(cafile=ca or None)


def _loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


def send(reminders: list[Reminder], sender: str, host: str, port: int, links: Addresses,
         context: BuildContext) -> Outcome:
    """Send one message per reminder; a role without a contact address is a failure, not a crash."""
    outcome = Outcome()
    addressed = []
    for reminder in reminders:
        if reminder.address:
            addressed.append(reminder)
        else:
            outcome.failed.append((reminder, "rollen har ingen kontaktadress (contact) i roller.yml"))
    if not addressed:
        return outcome
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    try:
        relay = smtplib.SMTP(host, port, timeout=TIMEOUT)
    except ConnectionRefusedError:
        raise HandbookError(f"e-postservern {host}:{port} vägrade anslutningen; inga påminnelser skickades",
                            "Kontrollera värd och port i --smtp (kommunens e-postrelä) och att servern tar emot "
                            "anslutningar härifrån.") from None
    except (socket.gaierror, socket.timeout, OSError) as error:
        raise HandbookError(f"kunde inte ansluta till e-postservern {host}:{port} ({error.__class__.__name__}); "
                            "inga påminnelser skickades",
                            "Kontrollera värdnamnet i --smtp och nätverket till e-postreläet.") from None
    try:
        relay.ehlo()
        if relay.has_extn("starttls"):
            relay.starttls(context=_tls_context())
            relay.ehlo()
        elif user and not _loopback(host):
            raise HandbookError(f"e-postservern {host}:{port} erbjuder inte STARTTLS, och inloggningen skickas "
                                "aldrig okrypterad; inga påminnelser skickades",
                                f"Använd reläets krypterade port, eller ta bort {USER_VARIABLE} om reläet tar "
                                "emot e-post utan inloggning.")
        if user:
            _login(relay, user, password or "")
        for reminder in addressed:
            try:
                refused = relay.send_message(message(reminder, sender, links, context))
            except smtplib.SMTPRecipientsRefused as error:
                code, text = next(iter(error.recipients.values()))
                outcome.failed.append((reminder, f"servern avvisade mottagaren ({code} "
                                                 f"{text.decode('utf-8', 'replace') if isinstance(text, bytes) else text})"))
                continue
            except smtplib.SMTPSenderRefused as error:
                raise HandbookError(f"e-postservern avvisade avsändaren {sender} ({error.smtp_code}); "
                                    "inga fler påminnelser skickades",
                                    "Ange en avsändaradress som reläet godtar med --fran.") from None
            except smtplib.SMTPServerDisconnected:
                outcome.failed.append((reminder, "servern stängde anslutningen"))
                break
            if refused:
                outcome.failed.append((reminder, "servern avvisade mottagaren"))
            else:
                outcome.sent.append(reminder)
    except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError):
        raise HandbookError("e-postservern godtog inte inloggningen; inga påminnelser skickades",
                            f"Kontrollera {USER_VARIABLE} och {PASSWORD_VARIABLE}.") from None
    except ssl.SSLError as error:
        raise HandbookError(f"den krypterade anslutningen till {host}:{port} kunde inte upprättas "
                            f"({error.reason or error}); inga påminnelser skickades",
                            f"Använder reläet kommunens egen CA, ange filen med {CA_VARIABLE}.") from None
    except (smtplib.SMTPException, OSError) as error:
        raise HandbookError(f"e-postservern {host}:{port} avbröt samtalet ({error.__class__.__name__}); "
                            "inga fler påminnelser skickades",
                            "Försök igen senare, eller kontakta den som förvaltar e-postreläet.") from None
    finally:
        try:
            relay.quit()
        except (smtplib.SMTPException, OSError):
            relay.close()
    unsent = [r for r in addressed if r not in outcome.sent and all(r is not f for f, _ in outcome.failed)]
    outcome.failed += [(r, "skickades inte: anslutningen bröts") for r in unsent]
    return outcome


def _login(relay: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with PLAIN when the relay offers it (over TLS it is as good as any), else let
    smtplib choose; a relay that refuses says so once instead of being tried mechanism by mechanism."""
    offered = relay.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        relay.user, relay.password = user, password
        relay.auth("PLAIN", relay.auth_plain)
    else:
        relay.login(user, password)


# --- the verb -----------------------------------------------------------------------------


class RelayParam(click.ParamType):
    """``VÄRD:PORT`` of the mail relay."""

    name = "VÄRD:PORT"

    def convert(self, value, param, ctx) -> tuple[str, int]:
        host, _, port = str(value).rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            self.fail(f"'{value}' är inte VÄRD:PORT, t.ex. smtp.kommunen.se:587", param, ctx)
        return host.strip("[]"), int(port)


def _who(reminder: Reminder) -> str:
    return f"{reminder.role.name} <{reminder.address}>" if reminder.address else reminder.role.name


@click.command("paminn")
@click.option("--dagar", "days", type=click.IntRange(0, 3650), default=DEFAULT_REVIEW_WARNING_DAYS,
              show_default=True, help="Påminn om revideringar och lagändringar inom så här många dagar.")
@click.option("--smtp", "relay", type=RelayParam(), help="E-postreläet, t.ex. smtp.kommunen.se:587.")
@click.option("--fran", "sender", metavar="ADRESS", help="Avsändaradressen, t.ex. rutinhandboken@kommunen.se.")
@click.option("--torrkorning", "dry_run", is_flag=True, help="Skriv ut meddelandena i stället för att skicka dem.")
@click.option("--webbplats", "site", metavar="ADRESS",
              help="Handbokens adress (standard: site_url i mkdocs.yml); länkarna går till den gällande versionen.")
@click.option("--datum", "today", type=DATE, help="Påminn som om det vore detta datum.")
@click.pass_context
def paminn(ctx: click.Context, days: int, relay, sender: str | None, dry_run: bool, site: str | None,
           today: dt.date | None) -> None:
    """E-posta varje rutinägare om revideringar och lagändringar som närmar sig.

    Varje ägarroll får ett meddelande till sin kontaktadress i rollregistret
    med rutinerna som ska revideras inom DAGAR dagar eller är försenade, och
    lagändringar som berör dess rutiner. Inloggning till e-postreläet läses ur
    miljövariablerna HANDBOK_SMTP_ANVANDARE och HANDBOK_SMTP_LOSENORD.
    """
    root = Path(ctx.find_root().obj["root"])
    if not dry_run and (relay is None or not sender):
        missing = ", ".join(name for name, value in (("--smtp", relay), ("--fran", sender)) if not value)
        raise click.UsageError(f"{missing} saknas (eller kör med --torrkorning för att bara skriva ut meddelandena)")
    handbook = load_handbook(root)
    if has_errors(handbook.problems):
        click.echo("fel: handboken har fel som måste rättas först (kör 'handbok check').", err=True)
        sys.exit(1)
    context = BuildContext(today=today or dt.date.today(), review_warning_days=days)
    site = site or site_url(root)
    if site and not site.endswith("/"):
        site += "/"
    if not site:
        click.echo("varning: handbokens adress är okänd (site_url i mkdocs.yml eller --webbplats), så länkarna "
                   "i meddelandena blir sökvägar.", err=True)
    addresses = Addresses(site, forge_edit_root(root))
    reminders = collect(handbook, context)
    if not reminders:
        click.echo(f"Inget att påminna om: ingen revidering eller lagändring inom {days} dagar.")
        return
    if dry_run:
        for reminder in reminders:
            mail = message(reminder, sender or "rutinhandboken@kommunen.se", addresses, context)
            to = mail["To"] if reminder.address else f"{reminder.role.name} (ingen adress i roller.yml)"
            click.echo(f"Till: {to}\nÄmne: {mail['Subject']}\n\n{mail.get_content()}")
            click.echo("-" * 72)
        without = [r for r in reminders if not r.address]
        for reminder in without:
            click.echo(f"fel: {reminder.role.name} ({reminder.role.id}) har ingen kontaktadress i roller.yml och "
                       "skulle inte få meddelandet.", err=True)
        sys.exit(1 if without else 0)
    host, port = relay
    try:
        outcome = send(reminders, sender, host, port, addresses, context)
    except HandbookError as error:
        click.echo(f"fel: {error.message}", err=True)
        if error.hint:
            click.echo(f"    → {error.hint}", err=True)
        sys.exit(1)
    if outcome.sent:
        click.echo("Påminnelse skickad till: " + ", ".join(_who(r) for r in outcome.sent) + ".")
    for reminder, reason in outcome.failed:
        click.echo(f"fel: ingen påminnelse till {_who(reminder)}: {reason}.", err=True)
    if outcome.failed:
        click.echo(f"{count(len(outcome.sent), 'meddelande', 'meddelanden')} skickade, "
                   f"{len(outcome.failed)} gick inte att skicka.", err=True)
        sys.exit(1)


def register(main: click.Group) -> None:
    main.add_command(paminn)
