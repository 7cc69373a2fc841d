"""The Dockerfile and the Kubernetes manifests, checked without a cluster or a container runtime:
kubernetes-validate against the Kubernetes schemas, checkov against its security policies (both
pinned in requirements-tools.lock, installed into .venv-tools by `make tools`), and the promises
docs/DEPLOY.md makes about them."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
TOOLS = ROOT / ".venv-tools" / "bin"
KUBERNETES_VERSION = "1.30.0"


def _tool(name: str) -> str:
    path = TOOLS / name
    if not path.exists():
        raise AssertionError(f"{path} is missing: run `make tools` (make test does it).")
    return str(path)


def _documents() -> List[Dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


def _by_kind(kind: str) -> Dict[str, Dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in _documents() if doc["kind"] == kind}


def test_every_manifest_is_valid_for_kubernetes() -> None:
    files = [str(path) for path in sorted(K8S.glob("*.yaml")) if path.name != "kustomization.yaml"]
    result = subprocess.run(
        [_tool("kubernetes-validate"), "--strict", "-k", KUBERNETES_VERSION, *files],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _checkov(framework: str, target: List[str]) -> Dict[str, Any]:
    result = subprocess.run(
        # --skip-download: no calls to the vendor's platform (there is no network here).
        [_tool("checkov"), "--quiet", "--compact", "--skip-download", "--output", "json",
         "--framework", framework, *target],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    report = json.loads(result.stdout)
    assert report["check_type"] == framework, result.stdout[:2000]
    return report


@pytest.mark.parametrize("framework, target", [
    ("kubernetes", ["--directory", str(K8S)]),
    ("dockerfile", ["--file", str(ROOT / "Dockerfile")]),
])
def test_checkov_finds_nothing(framework: str, target: List[str]) -> None:
    report = _checkov(framework, target)
    failed = [
        f"{check['check_id']} {check['check_name']} ({check['file_path']}: {check['resource']})"
        for check in report["results"].get("failed_checks", [])
    ]
    assert failed == [], "\n".join(failed)
    assert report["summary"]["skipped"] == 0
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 40  # it really looked at them


@pytest.mark.parametrize("name, port, path", [("rasa", 5005, "/webhooks/rest/"), ("actions", 5055, "/health")])
def test_each_deployment_has_probes_resources_and_runs_as_non_root(name: str, port: int, path: str) -> None:
    deployment = _by_kind("Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["args"] == [name]
    assert {p["containerPort"] for p in container["ports"]} == {port, 9100}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == path
    assert set(container["resources"]["requests"]) == {"cpu", "memory"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    # Time to finish turns in flight after SIGTERM, plus the preStop pause.
    graceful = int(_by_kind("ConfigMap")["kuendigungshilfe"]["data"]["SANIC_GRACEFUL_SHUTDOWN_TIMEOUT"])
    assert pod["terminationGracePeriodSeconds"] > graceful + 5
    assert name in _by_kind("HorizontalPodAutoscaler")
    assert _by_kind("PodDisruptionBudget")[name]["spec"]["minAvailable"] >= 1
    assert _by_kind("Service")[name]["spec"]["selector"] == {"app.kubernetes.io/name": name}


def test_every_token_comes_from_the_secret_and_none_sits_in_the_config_map() -> None:
    secret = _by_kind("Secret")["kuendigungshilfe"]["stringData"]
    for key in ("DATABASE_URL", "REDIS_URL", "LOG_SIGNING_KEY", "REST_TOKEN", "ACTION_SERVER_TOKEN",
                "TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"):
        assert key in secret
    config = _by_kind("ConfigMap")["kuendigungshilfe"]["data"]
    assert not [key for key in config if re.search(r"TOKEN$|KEY$|PASSWORD|DATABASE_URL|REDIS_URL", key)]
    # The example secret's placeholders cannot start a pod by accident: the signing key is too short.
    assert len(secret["LOG_SIGNING_KEY"]) < 32
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert "secret.example.yaml" not in kustomization["resources"]


def test_web_chat_is_sticky_at_the_ingress_and_tls_ends_there() -> None:
    ingresses = _by_kind("Ingress")
    web_chat = ingresses["kuendigungshilfe-web-chat"]
    assert web_chat["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    [path] = web_chat["spec"]["rules"][0]["http"]["paths"]
    assert path["path"] == "/socket.io/"
    for ingress in ingresses.values():
        assert ingress["spec"]["tls"][0]["secretName"] == "kuendigungshilfe-tls"
    config = _by_kind("ConfigMap")["kuendigungshilfe"]["data"]
    assert config["PUBLIC_BASE_URL"].startswith("https://")


def test_rest_requests_naming_their_conversation_stay_on_one_pod() -> None:
    """X-Conversation-Id picks a pod by consistent hash (the pod keeps the conversation's
    replayed tracker); requests without it stay balanced freely (docs/DEPLOY.md)."""
    ingresses = _by_kind("Ingress")
    canary = ingresses["kuendigungshilfe-rest-conversation"]
    annotations = canary["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/canary"] == "true"
    assert annotations["nginx.ingress.kubernetes.io/canary-by-header"] == "X-Conversation-Id"
    assert annotations["nginx.ingress.kubernetes.io/canary-by-header-pattern"] == ".+"
    assert annotations["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$http_x_conversation_id"
    [rule] = canary["spec"]["rules"]
    [path] = rule["http"]["paths"]
    # ingress-nginx pairs a canary with a main Ingress of the same host and path.
    main_rules = {
        (main_rule["host"], main_path["path"], main_path["backend"]["service"]["name"])
        for name, ingress in ingresses.items()
        if "nginx.ingress.kubernetes.io/canary" not in ingress["metadata"]["annotations"]
        for main_rule in ingress["spec"]["rules"] for main_path in main_rule["http"]["paths"]
    }
    assert (rule["host"], "/webhooks/rest/", "rasa") in main_rules
    assert path["path"] == "/webhooks/rest/"
    # Its own Service: on `rasa`, the upstream of the web chat, cookie affinity takes precedence.
    services = _by_kind("Service")
    service = services[path["backend"]["service"]["name"]]
    assert service["metadata"]["name"] != "rasa"
    assert service["spec"]["selector"] == services["rasa"]["spec"]["selector"]


def test_the_migration_job_runs_the_migrations() -> None:
    job = _by_kind("Job")["migrate"]
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["migrate"]
    entrypoint = (ROOT / "deploy" / "docker-entrypoint.sh").read_text()
    assert "migrate)\n    exec python -m bot migrate" in entrypoint


def test_the_image_pins_its_dependencies_runs_as_non_root_and_checks_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.10\.\d+-slim-bookworm", dockerfile, re.M)
    assert "pip install --no-deps -r /tmp/requirements.lock" in dockerfile
    assert re.search(r"^USER app$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.M)
    assert "COPY models/ models/" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[1] == "*"  # nothing but what is listed reaches the build (no var/, .venv, secrets)
