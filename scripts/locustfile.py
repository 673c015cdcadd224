"""`make loadtest`: staff, committee members and managers using the app at the same time.

Each simulated user logs in through the real login form, then works as its role does: staff move
between the lists and the records they link to, members open their meetings, managers read the
dashboards and reports. Detail pages are picked from the links the list pages show, so the test
needs no knowledge of the database beyond the demo logins.
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "guro1234!")
# Seconds each simulated user waits between pages: "0.5,2" by default (about 40 requests a second
# offered by 50 users); LOADTEST_WAIT=5,15 is nearer staff reading what they opened.
WAIT_MIN, WAIT_MAX = (float(part) for part in os.environ.get("LOADTEST_WAIT", "0.5,2").split(","))
LINK = re.compile(r'href="(/(?:firms|loans/applications|loans/meetings|programs)/\d+/)"')


class RoleUser(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)
    usernames: list[str] = []

    def on_start(self):
        self.links: list[str] = []
        page = self.client.get("/login/", name="/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/login/",
            {
                "username": random.choice(self.usernames),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/login/"},
            name="/login/ (POST)",
        )

    def visit(self, url: str, name: str | None = None):
        response = self.client.get(url, name=name or url)
        if response.ok and "html" in response.headers.get("Content-Type", ""):
            found = LINK.findall(response.text)
            if found:
                self.links = (found + self.links)[:200]
        return response

    def visit_some_record(self, prefix: str, name: str):
        candidates = [link for link in self.links if link.startswith(prefix)]
        if candidates:
            self.visit(random.choice(candidates), name=name)


class Staff(RoleUser):
    weight = 6
    usernames = ["staff"]

    @task(3)
    def firms(self):
        self.visit(f"/firms/?page={random.randint(1, 50)}", name="/firms/?page=N")
        self.visit_some_record("/firms/", "/firms/<id>/")

    @task(3)
    def applications(self):
        self.visit(f"/loans/applications/?page={random.randint(1, 50)}", name="/loans/applications/?page=N")
        self.visit_some_record("/loans/applications/", "/loans/applications/<id>/")

    @task(1)
    def search(self):
        self.visit("/firms/?q=벤치", name="/firms/?q=")

    @task(1)
    def dashboards(self):
        self.visit("/")
        self.visit("/loans/")
        self.visit("/programs/")

    @task(1)
    def meetings(self):
        self.visit("/loans/meetings/")
        self.visit_some_record("/loans/meetings/", "/loans/meetings/<id>/ (staff)")


class Member(RoleUser):
    weight = 2
    usernames = [f"member{n}" for n in range(1, 9)]

    @task
    def meetings(self):
        self.visit("/loans/meetings/")
        self.visit_some_record("/loans/meetings/", "/loans/meetings/<id>/ (member)")


class Manager(RoleUser):
    weight = 2
    usernames = ["manager"]

    @task(2)
    def reports(self):
        self.visit("/reports/")
        self.visit("/reports/2018/", name="/reports/<year>/")

    @task(1)
    def dashboards(self):
        self.visit("/")
        self.visit("/loans/")
        self.visit("/kotra/")
        self.visit("/marketing/")
