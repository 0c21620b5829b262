"""The newsletter: subscriptions (double opt-in), issues composed in the admin, and their
delivery by the background worker.

- ``views``: the public pages (subscribe in one step from any page's form, confirm and
  choose topics, unsubscribe, RFC 8058 one-click).
- ``models``: issues, sends, one delivery record per recipient and issue, the sending lease.
- ``rendering``: an issue as the mail it becomes (HTML and plain text).
- ``delivery``: the sending loop (lease, rate, retries, bounces) the worker runs.
- ``tasks``: what goes to the worker; ``services``: what the admin and commands call.
"""
