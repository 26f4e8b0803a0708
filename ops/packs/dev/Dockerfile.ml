# MedForge development pack, ML layer: what Debian packages of the medical-imaging stack the production
# pack carries (deploy/packs/default/Dockerfile: CUDA PyTorch, MONAI, SimpleITK…), CPU builds, so the same
# checks run on hosts without a GPU or PyPI. Built once per recipe by ops/packs/dev/build.sh.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-pip python3-venv python3-setuptools python3-wheel \
      python3-numpy python3-pandas python3-sklearn python3-torch python3-torchvision \
      python3-nibabel python3-pydicom python3-ipykernel \
 && rm -rf /var/lib/apt/lists/* \
 # `pip install --user` as researchers expect (into the home, which persists), not PEP 668's refusal.
 && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
