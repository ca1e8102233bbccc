"""The background pieces later features rely on: the SMTP sink, the RQ job worker on Redis,
and the periodic runner's crontab."""
import subprocess
import uuid

import pytest

import ckan.lib.jobs as jobs
import ckan.lib.mailer as mailer
import ckan.plugins.toolkit as tk
from ckan.cli.jobs import jobs as jobs_cli

from tests.conftest import ROOT, read_mail_to

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_mail_reaches_the_smtp_sink(mail_dir):
    rcpt = f"{uuid.uuid4().hex}@example.invalid"
    mailer.mail_recipient("测试用户", rcpt, "测试邮件", "这是一封测试邮件。")
    messages = read_mail_to(mail_dir, rcpt)
    assert len(messages) == 1
    assert messages[0]["Subject"] == "测试邮件"
    assert "这是一封测试邮件" in messages[0].get_body().get_content()


@pytest.mark.usefixtures("clean_queues")
def test_job_worker_sends_queued_mail(cli, mail_dir):
    rcpt = f"{uuid.uuid4().hex}@example.invalid"
    job = tk.enqueue_job(mailer.mail_recipient, ["用户", rcpt, "队列邮件", "正文"],
                         title="lyg test mail")
    assert job.get_status() == "queued"
    result = cli.invoke(jobs_cli, ["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert [m["Subject"] for m in read_mail_to(mail_dir, rcpt)] == ["队列邮件"]
    assert jobs.get_queue().count == 0


def test_every_crontab_command_is_a_ckan_command(tmp_path):
    """Against the plugins of the dev config (what the periodic runner and cron run)."""
    import re
    plugins = re.search(r"^ckan\.plugins\s*=\s*(.+)$",
                        (ROOT / "config" / "dev.ini.in").read_text("utf-8"), re.M).group(1)
    ini = tmp_path / "crontab-check.ini"
    ini.write_text(re.sub(r"^ckan\.plugins\s*=.*$", f"ckan.plugins = {plugins}",
                          (ROOT / "test.ini").read_text("utf-8"), flags=re.M), "utf-8")
    crontab = ROOT / "config" / "crontab"
    lines = [line.split(None, 5) for line in crontab.read_text("utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert lines, "config/crontab lists no command"
    for fields in lines:
        args = fields[5].split()
        result = subprocess.run(
            [str(ROOT / ".venv/bin/ckan"), "-c", str(ini), *args, "--help"],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (fields[5], result.stderr[-500:])
