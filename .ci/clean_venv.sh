# Sourced by .ci/deploy_check and .ci/smoke: the package as the README deploys it —
# `pip install .`, no extras — into a clean virtualenv, built from a copy of the checkout.
# Expects $repo (the checkout) and the caller's step() and fail().

# The Makefile's interpreter: the repo's .venv is built on it when there is one; otherwise
# the Makefile's own search (python3.12, python3.13, then pyenv's versions, 3.12 first).
works() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
find_python() {
  local base candidate
  if [ -x "$repo/.venv/bin/python" ]; then
    base=$("$repo/.venv/bin/python" -c 'import sys; print(sys._base_executable)' 2>/dev/null) \
      || base=""
    if [ -n "$base" ] && works "$base"; then echo "$base"; return 0; fi
  fi
  for candidate in python3.12 python3.13 \
      $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[2-9]*/bin/python3 \
        2>/dev/null | sort -V); do
    if works "$candidate"; then command -v "$candidate"; return 0; fi
  done
  return 1
}

# copy_checkout DEST: the checkout as a fresh clone would have it (tracked files and new
# ones git does not ignore). Building in the checkout itself would leave build/ and
# egg-info behind, and a stale build/lib can slip deleted files into the wheel.
copy_checkout() {
  mkdir -p "$1"
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
      | tar --null --no-recursion --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$1"
  else
    tar -C "$repo" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
      --exclude=./var --exclude='./db.sqlite3*' --exclude=./staticfiles --exclude=./.hypothesis \
      --exclude=./.ruff_cache --exclude=__pycache__ -cf - . | tar -xf - -C "$1"
  fi
}

# clean_venv WORK: the copy in WORK/src, the virtualenv in WORK/venv with `pip install .`
# of it; sets src, venv and py.
clean_venv() {
  local python
  python=$(find_python) || fail "no Python 3.12 or newer found (see the Makefile's find_python)"
  step "Python: $python ($("$python" -c 'import platform; print(platform.python_version())'))"
  src="$1/src" venv="$1/venv"
  copy_checkout "$src"
  step "pip install . (no extras) into a clean virtualenv"
  "$python" -m venv "$venv"
  py="$venv/bin/python"
  # (The filter drops pip's notes about this machine's configured index folders that are
  # absent.)
  PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip install --quiet "$src" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
