#!/usr/bin/env python3
"""Writes the demo CI recordings (GitHub Actions, GitLab CI, Jenkins) in their real API formats.

Run from this folder: python3 generate_demo_ci.py. The output is committed; the script documents
how it was made and regenerates it. Shapes follow the samples in ../shared/fixtures/ci.
"""
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone

BASE = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def iso(t, millis=False):
    s = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return s + (".%03dZ" % (t.microsecond // 1000) if millis else "Z")


def sha(seed):
    return hashlib.sha1(str(seed).encode()).hexdigest()


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def github_run(repo, run_id, number, created, duration, status="completed", conclusion="success",
               branch="main", event="push", actor="dana"):
    started = created + timedelta(seconds=4)
    updated = started + timedelta(seconds=duration) if status == "completed" else started + timedelta(seconds=30)
    owner, name = repo.split("/")
    return {
        "id": run_id, "name": "CI", "head_branch": branch, "head_sha": sha(run_id),
        "path": ".github/workflows/ci.yml", "display_title": "Build %s" % number, "run_number": number,
        "event": event, "status": status, "conclusion": conclusion if status == "completed" else None,
        "workflow_id": 7001, "url": "https://api.github.com/repos/%s/actions/runs/%d" % (repo, run_id),
        "html_url": "https://github.com/%s/actions/runs/%d" % (repo, run_id), "pull_requests": [],
        "created_at": iso(created), "updated_at": iso(updated), "run_attempt": 1, "run_started_at": iso(started),
        "actor": {"login": actor, "type": "User"}, "triggering_actor": {"login": actor, "type": "User"},
        "repository": {"full_name": repo, "name": name, "owner": {"login": owner}},
    }


def github(repo, runs):
    runs = sorted(runs, key=lambda r: r["created_at"], reverse=True)  # GitHub lists newest first
    write("github/repos/%s/actions/runs.json" % repo, {"total_count": len(runs), "workflow_runs": runs})


# payments-api: 15 regular runs around 7 minutes, one failure, then one run that took 16 minutes.
durations = [420, 431, 415, 440, 425, 418, 436, 422, 410, 429, 433, 419, 427, 424, 421]
runs = []
for i, d in enumerate(durations):
    runs.append(github_run("acme/payments-api", 880100 + i, 200 + i, BASE + timedelta(hours=8 * i), d))
runs.append(github_run("acme/payments-api", 880150, 215, BASE + timedelta(hours=8 * 15), 95, conclusion="failure",
                       branch="feature/retry-refunds", event="pull_request", actor="eli"))
runs.append(github_run("acme/payments-api", 880151, 216, BASE + timedelta(hours=8 * 16), 980))
# The release run that built payments-api 2.14.0: the demo's signed SLSA provenance
# (../artifacts/.../provenance.dsse.json) names this run and commit, so its provenance links to a
# collected CI run. (ledger-service's provenance names a GitHub run Assay never collected: its CI
# here is Jenkins, so its provenance does not count.)
release = github_run("acme/payments-api", 13254817101, 41, BASE + timedelta(hours=8 * 16, minutes=30), 312, event="release")
release.update({"name": "Release", "path": ".github/workflows/release.yml", "workflow_id": 7002,
                "head_sha": "9f2c41d7a8b3e56f1c0d92e4b7a6358c1d2e4f60", "display_title": "Release 2.14.0"})
runs.append(release)
github("acme/payments-api", runs)

# api-gateway: 6 runs, one cancelled, one still running.
runs = [github_run("acme/api-gateway", 990200 + i, 50 + i, BASE + timedelta(hours=20 * i), 250 + 7 * i) for i in range(4)]
runs.append(github_run("acme/api-gateway", 990210, 54, BASE + timedelta(hours=90), 30, conclusion="cancelled"))
runs.append(github_run("acme/api-gateway", 990211, 55, BASE + timedelta(hours=100), 0, status="in_progress"))
github("acme/api-gateway", runs)

# A repository no catalog service names: its runs are listed as unmapped.
github("acme/internal-tools", [github_run("acme/internal-tools", 770300 + i, 9 + i, BASE + timedelta(days=3 * i), 60)
                               for i in range(2)])

# GitLab: acme/warehouse-loader (project id 4711), 8 pipelines.
project = "acme/warehouse-loader"
listed = []
for i in range(8):
    pid = 61000 + i
    created = BASE + timedelta(hours=12 * i, minutes=3)
    status = "failed" if i == 3 else ("running" if i == 7 else "success")
    duration = 600 + 13 * i
    started = created + timedelta(seconds=6)
    finished = started + timedelta(seconds=duration)
    updated = finished if status != "running" else started + timedelta(seconds=60)
    item = {"id": pid, "iid": 300 + i, "project_id": 4711, "status": status, "source": "schedule" if i % 4 == 0 else "push",
            "ref": "main", "sha": sha(pid), "name": "Nightly load" if i % 4 == 0 else "Build pipeline",
            "web_url": "https://gitlab.com/%s/-/pipelines/%d" % (project, pid),
            "created_at": iso(created, True), "updated_at": iso(updated, True)}
    listed.append(item)
    detail = dict(item)
    detail.update({"before_sha": "0" * 40, "tag": False, "yaml_errors": None,
                   "user": {"id": 12, "username": "farah", "name": "Farah", "state": "active"},
                   "started_at": iso(started, True), "finished_at": iso(finished, True) if status != "running" else None,
                   "committed_at": None, "duration": duration if status != "running" else None, "queued_duration": 6,
                   "coverage": None,
                   "detailed_status": {"icon": "status_" + status, "text": status, "label": status, "group": status}})
    write("gitlab/api/v4/projects/%s/pipelines/%d.json" % (project, pid), detail)
write("gitlab/api/v4/projects/%s/pipelines.json" % project, list(reversed(listed)))

# Jenkins: multibranch project acme/ledger-service with its main branch job, 10 builds.
write("jenkins/job/acme/job/ledger-service/api/json.json",
      {"_class": "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject", "name": "ledger-service",
       "jobs": [{"_class": "org.jenkinsci.plugins.workflow.job.WorkflowJob", "name": "main"}]})
builds = []
for n in range(1, 11):
    start = BASE + timedelta(hours=14 * n)
    result = "UNSTABLE" if n == 6 else ("FAILURE" if n == 8 else "SUCCESS")
    builds.append({
        "_class": "org.jenkinsci.plugins.workflow.job.WorkflowRun", "number": n, "result": result,
        "timestamp": int(start.timestamp() * 1000), "duration": (900 + 11 * n) * 1000,
        "url": "https://jenkins.acme.example/job/acme/job/ledger-service/job/main/%d/" % n, "building": False,
        "actions": [
            {"_class": "hudson.model.CauseAction", "causes": [
                {"_class": "jenkins.branch.BranchEventCause", "shortDescription": "Push event to branch main"}]},
            {"_class": "hudson.plugins.git.util.BuildData", "lastBuiltRevision": {
                "SHA1": sha("ledger-%d" % n), "branch": [{"SHA1": sha("ledger-%d" % n), "name": "main"}]}}],
        "changeSets": [{"_class": "hudson.plugins.git.GitChangeSetList", "items": [{"commitId": sha("ledger-%d" % n)}],
                        "kind": "git"}]})
write("jenkins/job/acme/job/ledger-service/job/main/api/json.json",
      {"_class": "org.jenkinsci.plugins.workflow.job.WorkflowJob", "name": "main", "builds": list(reversed(builds))})
