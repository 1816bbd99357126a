#!/usr/bin/env python3
"""A department's system in Python over AMQP 1.0: takes its tasks, accepts each, and resolves it.

Debian: apt-get install python3-qpid-proton (Qpid Proton, the Apache AMQP 1.0 library; also for
C, C++, .NET, Go, JavaScript). The broker is the hub's Artemis, AMQP port (hub.broker.amqp-port,
5673 in the default run); the organisation logs in as its code with its password from the
environment, as in the Java example:

    BROKER_PASSWORD=demo-D16 python3 department.py --url amqp://127.0.0.1:5673 --org D16 \
        --resolve "您反映的路灯不亮问题已修复，现已恢复正常照明。"

Exit status: 0 when --tasks tasks were handled (or on Ctrl-C), 1 on a time-out, 2 when the
broker refused something (wrong password, another organisation's queue, ...). A broker that is
away is tried again without end (the backup's URL too, when given).
"""
import argparse
import json
import os
import sys
import uuid

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container

REPLIES = "hub.task.replies"


def task_queue(org):
    return ("township." if org.startswith("T") else "dept.") + org + ".tasks"


def reply_id(task_id, kind):
    # Derived from the task, not random: if we are cut off after sending but before the task is
    # settled, the task comes again and the hub ignores the replies it has already applied.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "appealhub:" + task_id + ":" + kind))


class Department(MessagingHandler):
    def __init__(self, args, password):
        super().__init__(prefetch=10, auto_accept=False)  # a task is settled only once answered
        self.args = args
        self.password = password
        self.queue = args.queue or task_queue(args.org)
        self.handled = 0
        self.unconfirmed = {}  # reply delivery -> task delivery it answers
        self.status = 0

    def on_start(self, event):
        # Several URLs (the live and the backup broker): Proton tries them in turn and reconnects to the
        # next when one goes away; an unsettled task comes again and is answered under the same replyIds.
        self.conn = event.container.connect(urls=self.args.url.split(","), user=self.args.org, password=self.password,
                                            allowed_mechs="PLAIN", allow_insecure_mechs=True)
        event.container.create_receiver(self.conn, self.queue)
        self.replies = event.container.create_sender(self.conn, REPLIES)
        self.timer = event.container.schedule(self.args.timeout, self) if self.args.timeout else None

    def on_timer_task(self, event):
        print("time-out: %d of %d tasks handled" % (self.handled, self.args.tasks), flush=True)
        self.finish(event, 1)

    def on_message(self, event):
        body = event.message.body
        text = body.decode("utf-8") if isinstance(body, (bytes, memoryview)) else body
        kind = (event.message.properties or {}).get("hubMessageType", "task")
        if kind != "task":
            # task updates and reminders: information for the staff, no reply
            print("%s for task %s" % (kind, json.loads(text).get("taskId")), flush=True)
            self.accept(event.delivery)
            return
        task = json.loads(text)
        task_id = task["taskId"]
        # 1. Store the task in your own system, keyed by taskId (it may come again after a failure).
        #    Its appeal carries the citizen's name and phone for the lead: never print or pass them on.
        print("task %s of case %s (%s), due %s" % (task_id, task["caseId"], task["role"], task["deadline"]), flush=True)
        # 2. Answer on the one reply queue, as our own organisation.
        answers = [("accept", None)]
        if self.args.resolve:
            answers.append(("resolve", self.args.resolve))
        for kind, text in answers:
            reply = {"replyId": reply_id(task_id, kind), "taskId": task_id, "orgCode": task["orgCode"],
                     "type": kind, "handler": self.args.handler}
            if text:
                reply["text"] = text
            # one task's replies in one group: applied in the order they are sent
            sent = self.replies.send(Message(body=json.dumps(reply, ensure_ascii=False), durable=True,
                                             group_id=task_id))
            self.unconfirmed[sent] = event.delivery

    def on_accepted(self, event):
        # 3. The broker has our replies: settle the task, it leaves the queue.
        task = self.unconfirmed.pop(event.delivery, None)
        if task is not None and task not in self.unconfirmed.values():
            self.accept(task)
            self.handled += 1
            if self.args.tasks and self.handled >= self.args.tasks:
                self.finish(event, 0)

    def on_rejected(self, event):
        print("reply refused: %s" % event.delivery.remote.condition, flush=True)
        self.finish(event, 2)

    def on_link_error(self, event):
        print("refused on %s: %s" % (event.link.source.address or event.link.target.address,
                                     event.link.remote_condition), flush=True)
        self.finish(event, 2)

    def on_connection_error(self, event):
        print("connection refused: %s" % event.connection.remote_condition, flush=True)
        self.finish(event, 2)

    def on_transport_error(self, event):
        condition = event.transport.condition
        if condition and condition.name.startswith("amqp:unauthorized"):
            print("login refused: %s" % condition, flush=True)
            self.finish(event, 2)
        else:  # a broker away: Proton tries again, the next URL first
            print("connection lost, trying again: %s" % condition, flush=True)

    def finish(self, event, status):
        self.status = status
        if self.timer:
            self.timer.cancel()
        self.conn.close()  # after what is still to go out (the task's settlement): then run() returns


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="amqp://127.0.0.1:5673",
                   help="the broker's AMQP URL; live and backup separated by a comma")
    p.add_argument("--org", required=True, help="our organisation code, the broker user: D16, T03, ...")
    p.add_argument("--queue", help="the task queue (default: dept.<org>.tasks or township.<org>.tasks)")
    p.add_argument("--resolve", help="resolve each task with this text for the citizen (else only accept)")
    p.add_argument("--handler", default="值班员", help="who handles it, for the case file")
    p.add_argument("--tasks", type=int, default=0, help="stop after this many tasks (0: run until stopped)")
    p.add_argument("--timeout", type=float, default=0, help="give up after this many seconds (0: never)")
    args = p.parse_args()
    password = os.environ.get("BROKER_PASSWORD")
    if not password:
        sys.exit("BROKER_PASSWORD is not set")
    department = Department(args, password)
    try:
        Container(department).run()
    except KeyboardInterrupt:
        pass
    sys.exit(department.status)


if __name__ == "__main__":
    main()
