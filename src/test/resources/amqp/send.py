#!/usr/bin/env python3
"""Test helper (AmqpDepartmentTest): one AMQP 1.0 message, as a given broker user, to a given address.

    BROKER_PASSWORD=... send.py URL USER ADDRESS BODY [NAME=VALUE ...]   (application properties)

Prints "sent" and exits 0 once the broker accepted it; prints the broker's condition and exits 2
when it refused the login, the link or the message; exits 1 after 20 s without an answer.
"""
import os
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class Send(MessagingHandler):
    def __init__(self, url, user, address, body, properties):
        super().__init__()
        self.url, self.user, self.address, self.body, self.properties = url, user, address, body, properties
        self.status = 1

    def on_start(self, event):
        self.conn = event.container.connect(self.url, user=self.user, password=os.environ["BROKER_PASSWORD"],
                                            allowed_mechs="PLAIN", allow_insecure_mechs=True)
        event.container.create_sender(self.conn, self.address)
        self.timer = event.container.schedule(20, self)

    def on_sendable(self, event):
        if self.body is not None:
            event.sender.send(Message(body=self.body, durable=True, properties=self.properties))
            self.body = None

    def on_accepted(self, event):
        self.done(event, 0, "sent")

    def on_rejected(self, event):
        self.done(event, 2, "refused: %s" % event.delivery.remote.condition)

    def on_link_error(self, event):
        self.done(event, 2, "refused: %s" % event.link.remote_condition)

    def on_connection_error(self, event):
        self.done(event, 2, "refused: %s" % event.connection.remote_condition)

    def on_transport_error(self, event):
        self.done(event, 2, "refused: %s" % event.transport.condition)

    def on_timer_task(self, event):
        self.done(event, 1, "no answer within 20 s")

    def done(self, event, status, line):
        if self.status == 1:
            print(line, flush=True)
        self.status = status
        self.timer.cancel()
        self.conn.close()


url, user, address, body = sys.argv[1:5]
properties = dict(p.split("=", 1) for p in sys.argv[5:])
send = Send(url, user, address, body, properties)
Container(send).run()
sys.exit(send.status)
