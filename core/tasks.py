from core.jobs import run_job  # noqa: F401  (Procrastinate imports every app's tasks module)
