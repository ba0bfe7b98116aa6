"""The drill's e-mail backend: one JSON line per message in DRILL_MAILBOX, after a short pause
(DRILL_MAIL_DELAY seconds, default 0.05) that stands for the mail server, so that a job e-mailing
many people is still running when the drill kills its worker. Several worker processes append
to the same file; each line is written with one `write` on a file opened for appending."""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["DRILL_MAILBOX"]
        delay = float(os.environ.get("DRILL_MAIL_DELAY", "0.05"))
        sent = 0
        for message in email_messages:
            time.sleep(delay)
            line = json.dumps({"to": message.to, "subject": message.subject, "at": time.time()})
            with open(path, "a", encoding="utf-8") as mailbox:
                mailbox.write(line + "\n")
            sent += 1
        return sent
