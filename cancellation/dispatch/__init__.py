"""Sending the letter for the user: LetterXpress prints it and posts it as Einwurf-Einschreiben.

    eligibility.py   whether the letter may go without a handwritten signature (pure)
    jobs.py          the job's states, back-off and what the service's answers mean (pure)
    letterxpress.py  the HTTP client of the LetterXpress API v3
    queue.py         the durable queue table: one job per letter, claimed with a lease
    worker.py        submits queued jobs and follows them until the tracking number is known

Everything is off unless LETTERXPRESS_USER and LETTERXPRESS_API_KEY are set (docs/DISPATCH.md).
"""
