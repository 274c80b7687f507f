"""Validates the Cloud Build and Cloud Run files with the gcloud SDK's own parsers, offline.

Run with the SDK's bundled Python (the test suite does this):
  /usr/lib/google-cloud-sdk/platform/bundledpythonunix/bin/python3 cloudbuild/validate.py
An unknown or misspelt field makes it exit non-zero, naming the file and the field.
"""
import os
import sys

SDK = os.environ.get("CLOUDSDK_ROOT", "/usr/lib/google-cloud-sdk")
sys.path.insert(0, os.path.join(SDK, "lib"))
sys.path.insert(0, os.path.join(SDK, "lib", "third_party"))

from googlecloudsdk.api_lib.cloudbuild import config as cloudbuild_config  # noqa: E402
from googlecloudsdk.api_lib.util import apis  # noqa: E402
from googlecloudsdk.api_lib.util import messages as messages_util  # noqa: E402
from googlecloudsdk.core import yaml  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = apis.GetMessagesModule("run", "v1")
CLOUDBUILD = apis.GetMessagesModule("cloudbuild", "v1")


def check_run(name, message_type):
    document = yaml.load_path(os.path.join(HERE, name))
    messages_util.DictToMessageWithErrorCheck(document, message_type)
    print("ok", name)


def main():
    cloudbuild_config.LoadCloudbuildConfigFromPath(
        os.path.join(HERE, "cloudbuild.yaml"), CLOUDBUILD
    )
    print("ok cloudbuild.yaml")
    check_run("inference-service.yaml", RUN.Service)
    check_run("website-service.yaml", RUN.Service)
    check_run("training-job.yaml", RUN.Job)
    check_run("batch-predict.yaml", RUN.Job)
    check_run("sweep.yaml", RUN.Job)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the SDK's parsers raise several types; all mean "invalid"
        print("invalid:", type(error).__name__, error, file=sys.stderr)
        sys.exit(1)
