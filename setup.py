"""The package list, which pyproject.toml cannot say: the CDK library (`infra/`, with the Lambda
`handlers/` it deploys) ships inside the wheel as `pyflow.cdk`, so `pip install
'pyflow-swf[cdk]'` gives a user's own CDK app the `PyflowApp` construct."""

from setuptools import find_namespace_packages, setup

setup(
    # Namespace packages too: the web UI's templates and static files are folders of data.
    packages=[
        *find_namespace_packages(include=["pyflow", "pyflow.*"], exclude=["*.__pycache__"]),
        "pyflow.cdk",
        "pyflow.cdk.handlers",
    ],
    package_dir={"pyflow.cdk": "infra", "pyflow.cdk.handlers": "handlers"},
)
