"""The weekly digest, sent through a real SMTP server on 127.0.0.1 (aiosmtpd) that requires
STARTTLS and a login, read back as a delegate's mail reader would read it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from archive import ROOT
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ports import free_port

from sync.cli.main import main
from sync.digest.message import replies_from, select
from sync.model.dates import parse_week
from sync.model.domain import Forum

SITE = "https://forum.example.org/"
W48_TOPIC = "https://forum.example.org/{prefix}topics/f1f1af58b1ff/"
W47_TOPIC = "https://forum.example.org/{prefix}topics/e05a4d8e5313/"


# A real SMTP server --------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the server received, and the addresses it refuses for now."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_at: str = ""  # the connection is cut when this address's message arrives
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_at in envelope.rcpt_tos:
            server.transport.close()
            return "421 4.3.0 connection lost"
        mail = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), mail))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [mail for rcpt, mail in self.received if address in rcpt]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1, made for this test only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 requiring STARTTLS then a login; FORUM_SMTP_* point to it."""
    cert_file, key_file = _certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert_file, key_file)
    mailbox = Mailbox()

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"forum", b"s3cret")
        if ok:
            mailbox.logins.append(data.login.decode())
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    for name, value in {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "USER": "forum",
        "PASSWORD": "s3cret",
        "FROM": "digest@forum.example.org",
        "CAFILE": str(cert_file),
    }.items():
        monkeypatch.setenv(f"FORUM_SMTP_{name}", value)
    yield mailbox
    controller.stop()


# A forum with subscribers ----------------------------------------------------------------------

SUBSCRIBERS = [
    {"address": "senegal@example.org", "member_state": "SN", "language": "fr"},
    {"address": "tunisia@example.org", "member_state": "TN", "language": "fr"},
    {"address": "japan@example.org", "member_state": "JP", "language": "en"},
    {"address": "spain@example.org", "member_state": "ES", "language": "es"},
    {"address": "mexico@example.org", "member_state": "MX", "language": "es"},  # revoked
]


@pytest.fixture
def forum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo forum, with its subscribers and credentials outside it."""
    root = tmp_path / "forum"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "subscribers.yml").write_text(yaml.safe_dump({"subscribers": SUBSCRIBERS}), "utf-8")
    # MX's delegation was revoked: it is no longer in the credentials file.
    delegations = {
        state: {"password": f"pw-{state}", "issued": "2026-09-01"} for state in ["SN", "TN", "JP", "ES"]
    }
    (secrets / "credentials.yml").write_text(yaml.safe_dump({"delegations": delegations}), "utf-8")
    monkeypatch.setenv("FORUM_SUBSCRIBERS", str(secrets / "subscribers.yml"))
    monkeypatch.setenv("FORUM_CREDENTIALS", str(secrets / "credentials.yml"))
    return root


def digest(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["digest", "--project", str(root), "--site-url", SITE, *args])


def parts(mail: EmailMessage) -> tuple[str, str]:
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def sent_record(root: Path) -> list[dict]:
    return yaml.safe_load((root / "content" / "digests-sent.yml").read_text("utf-8"))["sent"]


# Tests -----------------------------------------------------------------------------------------


def test_each_subscriber_receives_the_digest_in_their_language(forum: Path, smtp: Mailbox) -> None:
    result = digest(forum, "--week", "2026-W48", "--send")

    assert result.exit_code == 0, result.output
    assert "2026-W48 fr: sent to 2" in result.output
    assert "2026-W48 es: sent to 1, 1 left out (delegation revoked)" in result.output
    assert smtp.logins == ["forum", "forum", "forum"]  # one STARTTLS session per language
    assert smtp.to("mexico@example.org") == []
    assert all(len(rcpt) == 1 for rcpt, _ in smtp.received)  # nobody sees another's address

    [french] = smtp.to("senegal@example.org")
    assert french["Subject"] == "Forum sur l'assistance technique : lettre de la semaine 2026-W48"
    assert french["Content-Language"] == "fr"
    assert french.get_content_type() == "multipart/alternative"
    assert french["To"] == "senegal@example.org" and french["From"] == "digest@forum.example.org"
    text, html = parts(french)
    assert french.get_body(("plain",)).get_content_charset() == "utf-8"
    # The new topic, translated into French, with its opening post and the translator's note.
    assert "Outils d'intelligence artificielle dans les offices de PI : par où commencer ?" in text
    assert "Traduit par Service linguistique de l'OMPI — original en anglais" in text
    assert "Votre office a-t-il testé ou adopté un outil d'IA ?" in text
    # The replies of the week before, per topic: member state, delegate, first lines, link.
    assert "Réponses du 16 novembre 2026 au 22 novembre 2026" in text
    assert "* Espagne — Elena Navarro, 17 novembre 2026" in text
    assert "Original en espagnol — traduction en attente" in text
    assert "Como país que presta cooperación" in text
    assert W47_TOPIC.format(prefix="fr/") + "#post-DC_kwDOdemo0472" in text
    assert "Proposé par Pérou" in text and "Reste à traduire" in text
    assert '<html lang="fr" dir="ltr">' in html
    assert f'href="{W47_TOPIC.format(prefix="fr/")}#post-DC_kwDOdemo0472"' in html
    assert '<p lang="es" dir="ltr">Como país que presta cooperación' in html
    assert "Lire le message complet sur le forum" in html

    [english] = smtp.to("japan@example.org")
    text, html = parts(english)
    assert english["Subject"] == "Technical assistance forum: weekly digest, 2026-W48"
    assert english["Content-Language"] == "en"
    assert "Artificial intelligence tools in IP offices: where to start?" in text
    assert "Replies from November 16, 2026 to November 22, 2026" in text
    assert "* Colombia — Camilo Restrepo, November 18, 2026" in text
    assert "Original in Spanish — translation pending" in text
    assert W48_TOPIC.format(prefix="") in text  # English is the site's root
    assert '<html lang="en" dir="ltr">' in html and "Read the full post on the forum" in html

    [spanish] = smtp.to("spain@example.org")
    text, html = parts(spanish)
    assert spanish["Subject"].endswith(": boletín de la semana 2026-W48")
    assert spanish["Content-Language"] == "es"
    # No Spanish translation of the new topic yet: the original, with the note.
    assert "Artificial intelligence tools in IP offices: where to start?" in text
    assert "Original en inglés — traducción pendiente" in text
    assert "* Senegal — Fatou Ndiaye, 16 de noviembre de 2026" in text
    assert "El Senegal ha designado un punto focal único" in text  # its Spanish translation
    assert "Traducido por Servicio lingüístico de la OMPI — original en francés" in text
    assert W47_TOPIC.format(prefix="es/") + "#post-DC_kwDOdemo0471" in text
    assert '<html lang="es" dir="ltr">' in html and "Leer el mensaje completo en el foro" in html

    # What was sent is recorded in the repository, without a single address.
    record = (forum / "content" / "digests-sent.yml").read_text("utf-8")
    assert [(e["week"], e["language"], e["count"]) for e in sent_record(forum)] == [
        ("2026-W48", "en", 1),
        ("2026-W48", "fr", 2),
        ("2026-W48", "es", 1),
    ]
    assert "@" not in record
    assert not any("example.org" in p.read_text("utf-8") for p in (forum / "content").rglob("*.yml"))


def test_a_second_run_for_the_same_week_sends_nothing(forum: Path, smtp: Mailbox) -> None:
    assert digest(forum, "--week", "2026-W48", "--send").exit_code == 0
    first = len(smtp.received)

    again = digest(forum, "--week", "2026-W48", "--send")

    assert again.exit_code == 0, again.output
    assert len(smtp.received) == first == 4
    for language in ["en", "fr", "es"]:
        assert f"2026-W48 {language}: already sent, nothing to do" in again.output
    assert len(sent_record(forum)) == 3


def test_a_failure_part_way_is_reported_and_a_rerun_sends_only_to_those_missed(
    forum: Path, smtp: Mailbox
) -> None:
    smtp.refuse = {"tunisia@example.org"}

    failed = digest(forum, "--week", "2026-W48", "--send")

    assert failed.exit_code == 1
    assert "not sent to tunisia@example.org: refused: 550" in failed.output
    assert "1 subscribers did not receive the digest; run the same command again" in failed.output
    assert len(smtp.to("senegal@example.org")) == 1 and smtp.to("tunisia@example.org") == []
    # French is not recorded as sent; who is still waiting is kept beside the subscribers.
    assert [e["language"] for e in sent_record(forum)] == ["en", "es"]
    pending = Path(str(forum.parent / "secrets" / "subscribers.yml") + ".pending.yml")
    assert yaml.safe_load(pending.read_text("utf-8")) == {
        "2026-W48": {"fr": {"sent": 1, "to": ["tunisia@example.org"]}}
    }

    smtp.refuse = set()
    before = len(smtp.received)
    rerun = digest(forum, "--week", "2026-W48", "--send")

    assert rerun.exit_code == 0, rerun.output
    assert [rcpt for rcpt, _ in smtp.received[before:]] == [["tunisia@example.org"]]
    assert len(smtp.to("senegal@example.org")) == 1
    assert ("2026-W48", "fr", 2) in [(e["week"], e["language"], e["count"]) for e in sent_record(forum)]
    assert yaml.safe_load(pending.read_text("utf-8")) == {}


def test_a_week_with_no_activity_says_so(forum: Path, smtp: Mailbox) -> None:
    result = digest(forum, "--week", "2026-W51", "--send")

    assert result.exit_code == 0, result.output
    [spanish] = smtp.to("spain@example.org")
    text, html = parts(spanish)
    assert "Nada nuevo en el foro esta semana: ni tema nuevo ni respuestas." in text
    assert "No hay tema nuevo esta semana." in text
    assert "Nada nuevo en el foro esta semana" in html
    assert "Documentación de los conocimientos tradicionales" in text  # proposals still waiting
    [french] = smtp.to("senegal@example.org")
    assert "Rien de nouveau sur le forum cette semaine" in parts(french)[0]


def test_the_preview_is_written_outside_the_site_and_ignored_by_git(forum: Path) -> None:
    result = digest(forum, "--week", "2026-W48")

    assert result.exit_code == 0, result.output
    for language in ["en", "fr", "es"]:
        preview = forum / "digests" / "2026-W48" / f"{language}.html"
        assert f'<html lang="{language}"' in preview.read_text("utf-8")
        mail = message_from_bytes((preview.with_suffix(".eml")).read_bytes(), policy=policy.default)
        assert mail["Content-Language"] == language
    assert "digests/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()
    assert not (forum / "content" / "digests-sent.yml").exists()  # writing is not sending


def test_sending_refuses_a_subscribers_file_inside_the_repository(
    forum: Path, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = forum / "subscribers.yml"
    inside.write_text(yaml.safe_dump({"subscribers": SUBSCRIBERS}), "utf-8")
    monkeypatch.setenv("FORUM_SUBSCRIBERS", str(inside))

    result = digest(forum, "--week", "2026-W48", "--send")

    assert result.exit_code == 1
    assert "the subscribers file must be outside the repository" in result.output
    assert smtp.received == []


def test_a_server_without_starttls_is_refused(forum: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)  # no STARTTLS offered
    controller.start()
    try:
        monkeypatch.setenv("FORUM_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FORUM_SMTP_PORT", str(port))
        monkeypatch.setenv("FORUM_SMTP_FROM", "digest@forum.example.org")
        result = digest(forum, "--week", "2026-W48", "--send")
    finally:
        controller.stop()

    assert result.exit_code == 1
    assert "does not offer STARTTLS: refusing to send in clear" in result.output
    assert mailbox.received == []


def test_a_bad_week_is_refused_with_the_expected_form(forum: Path) -> None:
    result = digest(forum, "--week", "2026-48")

    assert result.exit_code == 1
    assert "expected an ISO week such as 2026-W48" in result.output


def test_every_reply_is_in_exactly_one_digest(demo: Forum) -> None:
    first, last = parse_week("2026-W38"), parse_week("2026-W50")
    weeks = [parse_week(f"2026-W{number}") for number in range(38, 51)]

    gathered = [reply.id for week in weeks for _, replies in select(demo, week).replies for reply in replies]

    everything = [reply.id for topic in demo.topics for reply in topic.replies]
    assert sorted(gathered) == sorted(everything), "no reply missed, none twice"
    assert replies_from(first) < min(r.date for t in demo.topics for r in t.replies) < last.start
    assert [t.week for t in select(demo, parse_week("2026-w48")).topics] == ["2026-W48"]


def test_a_connection_lost_part_way_leaves_the_rest_for_the_rerun(forum: Path, smtp: Mailbox) -> None:
    smtp.drop_at = "senegal@example.org"  # the first French subscriber

    failed = digest(forum, "--week", "2026-W48", "--send")

    assert failed.exit_code == 1
    assert "not sent to senegal@example.org" in failed.output
    assert "not sent to tunisia@example.org: connection lost" in failed.output
    assert "2 subscribers did not receive the digest" in failed.output
    assert [e["language"] for e in sent_record(forum)] == ["en", "es"]

    smtp.drop_at = ""
    rerun = digest(forum, "--week", "2026-W48", "--send")

    assert rerun.exit_code == 0, rerun.output
    assert "2026-W48 fr: sent to 2" in rerun.output
    assert "2026-W48 en: already sent, nothing to do" in rerun.output
    assert len(smtp.to("senegal@example.org")) == len(smtp.to("tunisia@example.org")) == 1
    assert len(smtp.to("japan@example.org")) == 1
