"""deploy/k8s, checked as far as a machine without Docker or Kubernetes allows.

- values.yaml parses and uses only keys of the Zero to JupyterHub chart's values.schema.yaml (the
  subset below was read from jupyterhub/zero-to-jupyterhub-k8s, jupyterhub/values.schema.yaml),
  with the types that schema gives; its Python snippets compile.
- formgrader.yaml parses into the Kubernetes objects it promises.
- The Dockerfile installs environment.yml, whose packages are those of pyproject.toml, which this
  test environment has installed: the image has the environment the tests ran in. Its student image (the
  default) holds the class build of rnnlib and nothing of the whole one; its grader image, the whole course.
- nbgitpuller links point at every released notebook.
"""
import importlib.metadata
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from packaging.requirements import Requirement

from course_files import REPO

K8S = REPO / "deploy" / "k8s"
ANY = object()       # free-form below this key (the schema allows additional properties)
NUM, INT, STR, BOOL = (int, float), int, str, bool
MEM = (int, float, str)
IMAGE = {"name": STR, "tag": STR}
Z2JH_SCHEMA = {
    "singleuser": {
        "image": IMAGE, "defaultUrl": STR, "cmd": (list, str), "startTimeout": INT, "uid": INT, "fsGid": INT,
        "cpu": {"limit": NUM, "guarantee": NUM}, "memory": {"limit": MEM, "guarantee": MEM},
        "extraEnv": ANY, "extraFiles": ANY, "profileList": list, "networkPolicy": ANY,
        "storage": {"type": STR, "capacity": STR, "homeMountPath": STR, "extraVolumes": list,
                    "extraVolumeMounts": list, "dynamic": ANY, "static": ANY},
    },
    "hub": {"config": ANY, "extraConfig": ANY, "extraEnv": ANY, "extraFiles": ANY, "db": ANY, "networkPolicy": ANY},
    "cull": {"enabled": BOOL, "users": BOOL, "adminUsers": BOOL, "removeNamedServers": BOOL, "timeout": INT,
             "every": INT, "concurrency": INT, "maxAge": INT},
    "scheduling": {"userScheduler": {"enabled": BOOL, "replicas": INT}, "podPriority": {"enabled": BOOL},
                   "userPlaceholder": {"enabled": BOOL, "replicas": INT}},
    "prePuller": {"hook": {"enabled": BOOL}, "continuous": {"enabled": BOOL}},
    "ingress": {"enabled": BOOL, "hosts": list, "tls": list, "annotations": ANY},
}


def schema_problems(values, schema, where=""):
    if schema is ANY:
        return []
    if not isinstance(schema, dict):
        if isinstance(values, bool) and schema in (INT, NUM):
            return [f"{where}: a boolean where the schema wants a number"]
        return [] if isinstance(values, schema) else [f"{where}: {type(values).__name__} is not allowed"]
    if not isinstance(values, dict):
        return [f"{where}: should be a mapping"]
    problems = []
    for key, value in values.items():
        path = f"{where}.{key}".lstrip(".")
        if key not in schema:
            problems.append(f"{path}: not a key of the chart's schema")
        else:
            problems += schema_problems(value, schema[key], path)
    return problems


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((K8S / "values.yaml").read_text())


def test_helm_values_use_the_charts_keys(values):
    assert schema_problems(values, Z2JH_SCHEMA) == []


def test_the_schema_check_catches_a_wrong_key_and_type():
    assert schema_problems({"cull": {"timout": 1, "every": "often"}}, Z2JH_SCHEMA) == [
        "cull.timout: not a key of the chart's schema", "cull.every: str is not allowed"]


def test_helm_values_limit_resources_cull_and_share_the_exchange(values):
    user = values["singleuser"]
    assert user["cpu"]["limit"] and user["memory"]["limit"]
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    mounts = {m["mountPath"] for m in user["storage"]["extraVolumeMounts"]}
    assert user["extraEnv"]["NBGRADER_EXCHANGE"] in mounts
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert {"formgrade-rnn-course", "nbgrader-rnn-course"} <= set(groups)


def test_hub_extra_config_is_python(values):
    for name, source in values["hub"]["extraConfig"].items():
        compile(source, name, "exec")


def test_formgrader_manifest_parses():
    kinds = [doc["kind"] for doc in yaml.safe_load_all((K8S / "formgrader.yaml").read_text())]
    assert sorted(kinds) == ["Deployment", "PersistentVolumeClaim", "PersistentVolumeClaim", "Service"]


def test_a_class_is_graded_in_a_pod_with_the_sandboxs_properties():
    docs = {doc["kind"]: doc for doc in yaml.safe_load_all((K8S / "grade-class.yaml").read_text())}
    assert set(docs) == {"Job", "NetworkPolicy"}
    pod = docs["Job"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"][:3] == ["python", "-m", "rnngrader.autograde"]
    assert "--no-sandbox" not in container["command"]
    assert pod["automountServiceAccountToken"] is False, "no Kubernetes API token in the grading pod"
    assert pod["securityContext"]["runAsNonRoot"] is True
    context = container["securityContext"]
    assert context["allowPrivilegeEscalation"] is False and context["capabilities"]["drop"] == ["ALL"]
    assert context["seccompProfile"]["type"] == "Unconfined", "bubblewrap needs user namespaces"
    names = {e["name"] for e in container.get("env", [])}
    assert not {n for n in names if "TOKEN" in n or "PASSWORD" in n or "DB_URL" in n}, names
    assert {"cpu", "memory", "ephemeral-storage"} <= set(container["resources"]["limits"])
    policy = docs["NetworkPolicy"]["spec"]
    assert policy["podSelector"]["matchLabels"] == docs["Job"]["spec"]["template"]["metadata"]["labels"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"} and policy["ingress"] == [] == policy["egress"]


def test_the_formgrader_pod_can_make_sandboxes_and_holds_no_kubernetes_token():
    deployment = next(d for d in yaml.safe_load_all((K8S / "formgrader.yaml").read_text()) if d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    context = pod["containers"][0]["securityContext"]
    assert context["seccompProfile"]["type"] == "Unconfined" and context["capabilities"]["drop"] == ["ALL"]


def stages():
    """{stage name: its lines} of the Dockerfile; the last one is what `docker build` makes without --target."""
    out, name = {}, None
    for line in (K8S / "Dockerfile").read_text().splitlines():
        found = re.match(r"FROM \S+ AS (\S+)$", line)
        if found:
            name = found.group(1)
            out[name] = []
        elif name and line.strip() and not line.startswith("#"):
            out[name].append(line)
    return out


def test_the_grader_image_has_the_sandbox_and_the_whole_course():
    grader = "\n".join(stages()["grader"])
    assert re.search(r"apt-get install .*bubblewrap", grader), "the grader image must install bubblewrap"
    assert re.search(r"^COPY rnngrader ", grader, flags=re.M) and re.search(r"^COPY rnnlib ", grader, flags=re.M)


def test_the_student_image_holds_the_class_build_and_no_answer_key(tmp_path):
    """Class mode (issue 15): the whole rnnlib is only in the builder stage, which the image does not keep."""
    found = stages()
    assert list(found)[-1] == "student", "the default image (the last stage) must be the students'"
    copies = [line for name in ("base", "student") for line in found[name] if line.startswith(("COPY", "ADD"))]
    assert not [c for c in copies if re.search(r"\b(rnnlib|rnngrader|solutions|notebooks|\.)\s", c + " ")
                and "--from=classbuild" not in c], copies
    assert "COPY --from=classbuild /tmp/class/ /opt/rnn-course/" in found["student"]
    # The builder stage's command, run here on the files it copies: it makes an installable class build.
    run = next(line for line in found["classbuild"] if line.startswith("RUN "))
    assert run == "RUN cd /tmp/course && python -m rnngrader.classmode build --out /tmp/class", run
    course = tmp_path / "course"
    course.mkdir()
    for line in found["classbuild"]:
        if line.startswith("COPY "):
            source, target = line.split()[1:3]
            (shutil.copytree if (REPO / source).is_dir() else shutil.copy)(REPO / source, tmp_path / target.removeprefix("/tmp/"))
    subprocess.run([sys.executable, "-m", "rnngrader.classmode", "build", "--out", str(tmp_path / "class")],
                   cwd=course, check=True, capture_output=True, env={"PATH": "/usr/bin:/bin"})
    built = sorted(p.name for p in (tmp_path / "class").iterdir())
    assert built == ["pyproject.toml", "rnnlib"], built
    stub = (tmp_path / "class" / "rnnlib" / "layers" / "rnn.py").read_text().split("def rnn_forward")[1][:300]
    assert "in this class's rnnlib once it is released" in stub, stub


def test_students_run_the_student_image_and_grading_the_grader_image():
    values = yaml.safe_load((K8S / "values.yaml").read_text())
    assert values["singleuser"]["image"]["name"].endswith("/rnn-course-singleuser")
    for manifest in ("formgrader.yaml", "grade-class.yaml"):
        images = re.findall(r"image: (\S+)", (K8S / manifest).read_text())
        assert images and all("/rnn-course-grader:" in image for image in images), (manifest, images)


def test_the_image_and_every_student_environment_turn_off_the_jupyter_news_pop_up():
    overrides = json.loads((K8S.parent / "jupyterlab" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    target = "/share/jupyter/lab/settings/overrides.json"
    assert re.search(rf"^COPY deploy/jupyterlab/overrides.json \$\{{CONDA_DIR\}}{target}$",
                     (K8S / "Dockerfile").read_text(), flags=re.M)
    for installer in (K8S.parent / "install-test-prereqs.sh", K8S.parent / "README.md", K8S.parents[1] / "Makefile"):
        assert "deploy/jupyterlab/overrides.json" in installer.read_text() and target in installer.read_text(), installer


def _requirements(lines):
    return {Requirement(line).name.lower(): Requirement(line) for line in lines}


def test_the_image_installs_the_environment_the_tests_run_in():
    for stage in ("grader", "student"):
        lines = "\n".join(stages()[stage])
        assert re.search(r"^COPY environment\.yml ", lines, flags=re.M), f"the {stage} image must copy environment.yml"
        assert "--file environment.yml" in lines, f"the {stage} image must install environment.yml"
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip, "environment.yml must install the course itself (rnnlib)"
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    image = _requirements(c.replace(" ", "") for c in conda)
    assert image == _requirements(project["dependencies"])
    for name, requirement in image.items():  # ... and this environment (the tests') satisfies them
        installed = importlib.metadata.version(name)
        assert requirement.specifier.contains(installed, prereleases=True), f"{name} {installed} vs {requirement}"


def test_nbgitpuller_links_open_each_released_notebook():
    spec = importlib.util.spec_from_file_location("nbgitpuller_links", K8S / "nbgitpuller_links.py")  # a script
    nbgitpuller_links = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nbgitpuller_links)
    notebooks = nbgitpuller_links.released_notebooks()
    assert len(notebooks) == len(list((REPO / "notebooks").glob("*/*.ipynb"))) > 0
    url = urlparse(nbgitpuller_links.link("https://hub.example.org/", "https://git.example.org/o/rnn-course.git",
                                          "main", notebooks[0]))
    query = parse_qs(url.query)
    assert url.path == "/hub/user-redirect/git-pull"
    assert query["repo"] == ["https://git.example.org/o/rnn-course.git"] and query["branch"] == ["main"]
    assert query["urlpath"] == [f"lab/tree/rnn-course/{notebooks[0]}"]
    assert (REPO / notebooks[0]).exists()
