"""The letter by e-mail: the PDF, the calendar file and the next steps to the user's address.

SMTP_URL chooses how: smtp:// always upgrades with STARTTLS (and refuses a server that cannot),
smtps:// speaks TLS from the start; certificates are verified (SMTP_CA_FILE for a private CA).
Logs name the reference only, never an address or the content.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Optional

from cancellation.settings import SmtpSettings
from cancellation.texts import Renderable, render, say
from cancellation.vocabulary import Language

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20


class MailNotSent(Exception):
    """The mail server could not be reached or refused the mail (nothing personal in the text)."""


def letter_mail(settings: SmtpSettings, *, to: str, reference: str, pdf: bytes,
                next_steps: Renderable, language: Language,
                calendar: Optional[bytes] = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = render(say("utter_mail_subject", reference=reference), language)
    message["From"] = settings.sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    body = render([say("utter_mail_body", reference=reference), next_steps,
                   say("utter_mail_footer")], language)
    message.set_content(body, subtype="plain", charset="utf-8")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"Kuendigung-{reference}.pdf")
    if calendar is not None:
        message.add_attachment(calendar, maintype="text", subtype="calendar",
                               filename=f"Termine-{reference}.ics")
    return message


def send(settings: SmtpSettings, message: EmailMessage, *, reference: str) -> None:
    context = ssl.create_default_context(cafile=settings.ca_file)
    try:
        if settings.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=TIMEOUT_SECONDS, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if not settings.implicit_tls:
                client.ehlo()
                # smtplib raises SMTPNotSupportedError if the server offers no STARTTLS: we never
                # send a letter with personal data in clear text.
                client.starttls(context=context)
                client.ehlo()
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("E-mail for %s not sent: %s", reference, type(error).__name__)
        raise MailNotSent(type(error).__name__) from None
    logger.info("E-mail for %s sent", reference)
