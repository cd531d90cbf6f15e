"""Sending mail by SMTP with STARTTLS: the server and its account from FORUM_SMTP_*.

The connection is always upgraded with STARTTLS before the password is sent; a server
that does not offer it is refused. `FORUM_SMTP_CAFILE` lets a server with a private
certificate (a test's, an internal relay's) be trusted, never by turning checks off.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sync.model.errors import ForumError


class MailError(ForumError):
    """Mail cannot be sent as configured; the message says what to set."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom to send."""

    host: str
    port: int
    user: str
    password: str
    sender: str
    cafile: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> SmtpSettings:
        """FORUM_SMTP_HOST, _PORT (default 587), _USER, _PASSWORD, _FROM and _CAFILE."""
        missing = [f"FORUM_SMTP_{n}" for n in ("HOST", "FROM") if not environ.get(f"FORUM_SMTP_{n}")]
        if missing:
            raise MailError(f"set {' and '.join(missing)} to send mail")
        try:
            port = int(environ.get("FORUM_SMTP_PORT") or 587)
        except ValueError:
            raise MailError("FORUM_SMTP_PORT: expected a port number such as 587") from None
        return cls(
            host=environ["FORUM_SMTP_HOST"],
            port=port,
            user=environ.get("FORUM_SMTP_USER", ""),
            password=environ.get("FORUM_SMTP_PASSWORD", ""),
            sender=environ["FORUM_SMTP_FROM"],
            cafile=environ.get("FORUM_SMTP_CAFILE") or None,
        )


def deliver(settings: SmtpSettings, mail: EmailMessage, addresses: list[str]) -> Iterator[tuple[str, str]]:
    """Send `mail` to each address, one message each (no address sees another); yields
    (address, "") once sent, or (address, why) for each one that was not."""
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for address in addresses:
            yield address, f"could not connect to {settings.host}:{settings.port}: {error}"
        return
    with server:
        for index, address in enumerate(addresses):
            copy = _addressed(mail, settings.sender, address)
            try:
                server.send_message(copy, from_addr=settings.sender, to_addrs=[address])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                yield address, _why(error)
                continue
            except (OSError, smtplib.SMTPException) as error:
                # The connection is gone: nobody after this address got it either.
                for rest in addresses[index:]:
                    yield rest, f"connection lost: {error}"
                return
            yield address, ""


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=settings.cafile)
    server = smtplib.SMTP(settings.host, settings.port, timeout=30)
    try:
        server.ehlo()
        if not server.has_extn("starttls"):
            raise MailError(f"{settings.host} does not offer STARTTLS: refusing to send in clear")
        server.starttls(context=context)
        server.ehlo()
        if settings.user:
            server.login(settings.user, settings.password)
    except BaseException:
        server.close()
        raise
    return server


def _addressed(mail: EmailMessage, sender: str, address: str) -> EmailMessage:
    copy = message_from_bytes(bytes(mail), policy=policy.default)
    assert isinstance(copy, EmailMessage)
    copy["From"] = sender
    copy["To"] = address
    copy["Date"] = formatdate(localtime=False, usegmt=True)
    copy["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return copy


def _why(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()]
        return "refused: " + "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"refused: {error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return str(error)
