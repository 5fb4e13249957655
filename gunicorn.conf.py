"""gunicorn settings for a classroom: `python app.py --classroom`, or `gunicorn -c gunicorn.conf.py`.

Threads, not more processes, serve the many small requests: a callback spends most of its time
in NumPy and JSON, and each process holds its own caches (about 150 MB). One process per core.
"""

import os

wsgi_app = "app:classroom_server()"
bind = os.environ.get("LAB_BIND", "0.0.0.0:8050")  # app.py passes -b from its --host and --port
workers = int(os.environ.get("LAB_WORKERS", min(os.cpu_count() or 1, 4)))
worker_class = "gthread"
threads = int(os.environ.get("LAB_THREADS", 8))
preload_app = True  # import NumPy, Plotly and Dash once, then fork
timeout = 30  # a worker silent this long is restarted; the simulation's own budget is far shorter
graceful_timeout = 10
keepalive = 30  # longer than a student's 3-5 s between changes: no reconnect race
backlog = 512  # 200 students connecting at once queue here
limit_request_line = 8190  # gunicorn's maximum: a link's query is read up to 8 KiB (the page writes far less)
limit_request_fields = 50
limit_request_field_size = 8190
accesslog = os.environ.get("LAB_ACCESS_LOG")  # off by default: 50 requests a second fill a disk
errorlog = "-"
loglevel = "warning"
