"""E-mail to the user through a real SMTP server: STARTTLS enforced, German subject and body,
the PDF and the calendar as attachments, nothing personal in the logs."""

from __future__ import annotations

import logging

import pytest

from cancellation.mail import MailNotSent, letter_mail, send
from cancellation.settings import SmtpSettings
from cancellation.texts import say
from cancellation.vocabulary import Language
from tests.support.smtp_server import SmtpServer

PDF = b"%PDF-1.4 Kuendigung von Erika Mustermann"
USER = "erika.mustermann@example.org"


def settings_for(server: SmtpServer) -> SmtpSettings:
    return SmtpSettings.from_env({"SMTP_URL": server.url, "SMTP_FROM": "hilfe@verbraucher.example",
                                  "SMTP_CA_FILE": str(server.cert)})


def test_letter_mail_over_starttls(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with SmtpServer(tmp_path) as server:
        settings = settings_for(server)
        message = letter_mail(settings, to=USER, reference="KB-2026-7F3K9Q", pdf=PDF,
                              next_steps=[say("utter_mail_footer")], language=Language.DE,
                              calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        send(settings, message, reference="KB-2026-7F3K9Q")
    [received] = server.inbox.messages
    assert server.inbox.recipients == [[USER]]
    assert received["Subject"] == "Ihr Kündigungsschreiben KB-2026-7F3K9Q"
    assert received["From"] == "hilfe@verbraucher.example"
    assert received.get_content_type() == "multipart/mixed"
    body = received.get_body(preferencelist=("plain",))
    assert body.get_content_charset() == "utf-8"
    assert "im Anhang finden Sie Ihr Kündigungsschreiben" in body.get_content()
    attachments = {part.get_filename(): part for part in received.iter_attachments()}
    assert attachments["Kuendigung-KB-2026-7F3K9Q.pdf"].get_content_type() == "application/pdf"
    assert attachments["Kuendigung-KB-2026-7F3K9Q.pdf"].get_content() == PDF
    assert attachments["Termine-KB-2026-7F3K9Q.ics"].get_content_type() == "text/calendar"
    # Our own log lines (the test server's "mail.log" shows the whole conversation, of course).
    logged = " ".join(record.getMessage() for record in caplog.records
                      if record.name.startswith("cancellation"))
    assert USER not in logged and "Mustermann" not in logged
    assert "KB-2026-7F3K9Q" in logged


def test_english_subject(tmp_path):
    with SmtpServer(tmp_path) as server:
        settings = settings_for(server)
        message = letter_mail(settings, to=USER, reference="KB-2026-7F3K9Q", pdf=PDF,
                              next_steps=[], language=Language.EN)
    assert message["Subject"] == "Your cancellation letter KB-2026-7F3K9Q"


def test_no_mail_in_clear_text_to_a_server_without_starttls(tmp_path):
    with SmtpServer(tmp_path, starttls=False) as server:
        settings = settings_for(server)
        message = letter_mail(settings, to=USER, reference="KB-2026-7F3K9Q", pdf=PDF,
                              next_steps=[], language=Language.DE)
        with pytest.raises(MailNotSent):
            send(settings, message, reference="KB-2026-7F3K9Q")
    assert server.inbox.messages == []


def test_smtp_settings():
    assert SmtpSettings.from_env({}) is None
    settings = SmtpSettings.from_env({"SMTP_URL": "smtps://u%40x:p%3Aw@mail.example.org",
                                      "SMTP_FROM": "a@example.org"})
    assert (settings.host, settings.port, settings.implicit_tls) == ("mail.example.org", 465, True)
    assert (settings.username, settings.password) == ("u@x", "p:w")
    assert "p:w" not in repr(settings)
