#!/usr/bin/env node
// Makes @tensorflow/tfjs-node usable for training on any machine.
//
// Route 1: the package's own install script (downloads a prebuilt libtensorflow + addon).
// Route 2 (machines without internet): unpack libtensorflow_cc / libtensorflow_framework and the
// C API headers from a TensorFlow CPU wheel already on disk and rebuild the addon with node-gyp.
// libtensorflow_cc.so.2 exports the same C / eager C API that the prebuilt libtensorflow has.
//
// Usage: node scripts/setupTfjsNode.mjs [--wheel PATH] [--no-download] [--force]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const flag = (name) => argv.includes(name);
const log = (msg) => console.log(`[setup-tfjs-node] ${msg}`);

function packageDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    fail('@tensorflow/tfjs-node is not installed: run `npm install` at the repository root first.');
  }
}

function fail(msg) {
  console.error(`[setup-tfjs-node] ERROR: ${msg}`);
  process.exit(1);
}

/** True when the addon loads and runs a small op. Checked in a child process so a crash is contained. */
function addonWorks(pkg) {
  const probe = `
    process.env.TF_CPP_MIN_LOG_LEVEL='2';
    const tf = require(${JSON.stringify(pkg)});
    const s = tf.tensor([1,2,3]).sum().dataSync()[0];
    if (tf.getBackend() !== 'tensorflow' || s !== 6) process.exit(3);`;
  const r = spawnSync(process.execPath, ['-e', probe], { stdio: 'pipe', encoding: 'utf8' });
  if (r.status !== 0 && r.stderr) log(`addon check failed: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`);
  return r.status === 0;
}

function tryDownloadRoute(pkg) {
  log('trying the package install script (downloads a prebuilt libtensorflow)...');
  const r = spawnSync(process.execPath, ['scripts/install.js'], { cwd: pkg, stdio: 'pipe', encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) return true;
  log(`download route failed (${(r.stderr || '').split('\n').find((l) => l.trim()) || `exit ${r.status}`})`);
  return false;
}

function findWheel() {
  const given = opt('--wheel') || process.env.TFJS_TF_WHEEL;
  if (given) {
    if (!fs.existsSync(given)) fail(`wheel ${given} does not exist`);
    return given;
  }
  const roots = ['/opt', '/usr/local', '/usr/share', os.homedir(), '/root', '/tmp'];
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 5) return;
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isFile() && /^tensorflow(_cpu)?-2\.[0-9.]+-.*linux.*x86_64\.whl$/.test(e.name)) found.push(p);
      else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'proc') walk(p, depth + 1);
    }
  };
  for (const r of roots) walk(r, 0);
  found.sort();
  return found.at(-1);
}

function unpackWheel(wheel, pkg) {
  const deps = path.join(pkg, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  // python3's zipfile: present wherever node-gyp works (it needs python3 too).
  const py = `
import sys, zipfile, os, shutil
whl, deps = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
n = 0
for name in z.namelist():
    if name.startswith('tensorflow/include/tensorflow/c/') or name.startswith('tensorflow/include/xla/tsl/c/') or name.startswith('tensorflow/include/tsl/') or name.startswith('tensorflow/include/tensorflow/core/platform/'):
        dst = os.path.join(deps, 'include', name[len('tensorflow/include/'):])
    elif name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
        dst = os.path.join(deps, 'lib', os.path.basename(name))
    else:
        continue
    if name.endswith('/'):
        continue
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with z.open(name) as src, open(dst, 'wb') as out:
        shutil.copyfileobj(src, out, 1 << 20)
    n += 1
print(n)
`;
  const n = execFileSync('python3', ['-c', py, wheel, deps], { encoding: 'utf8' }).trim();
  log(`unpacked ${n} files from ${path.basename(wheel)} into ${deps}`);
  const lib = path.join(deps, 'lib');
  for (const need of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!fs.existsSync(path.join(lib, need))) fail(`${wheel} has no tensorflow/${need}; use a TensorFlow 2.x CPU wheel for Linux x86_64.`);
  }
  // The addon links -ltensorflow; at run time the loader looks for the SONAME libtensorflow_cc.so.2 in deps/lib.
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so'));
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));
}

function nodeGyp() {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  try {
    candidates.unshift(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not a direct dependency; use npm's own copy */
  }
  const hit = candidates.find((c) => fs.existsSync(c));
  if (!hit) fail('node-gyp not found (it ships with npm); install it with `npm i -g node-gyp`.');
  return hit;
}

function rebuildAddon(pkg) {
  const napi = 8;
  const args = [nodeGyp(), 'rebuild', `--module_name=tfjs_binding`, `--module_path=lib/napi-v${napi}`, `--napi_build_version=${napi}`];
  // Build against the local Node headers; otherwise node-gyp tries to download them.
  const headers = path.join(path.dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
  if (fs.existsSync(headers)) args.push(`--nodedir=${path.resolve(path.dirname(process.execPath), '..')}`);
  log(`building the addon: node ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: pkg, stdio: 'inherit', env: { ...process.env, JOBS: '2' } });
  if (r.status !== 0) fail('node-gyp failed to build the tfjs-node addon (needs python3, make and g++).');
  fs.mkdirSync(path.join(pkg, `lib/napi-v${napi}`), { recursive: true });
  const built = path.join(pkg, 'build', 'Release', 'tfjs_binding.node');
  fs.copyFileSync(built, path.join(pkg, `lib/napi-v${napi}/tfjs_binding.node`));
}

const pkg = packageDir();
if (!flag('--force') && addonWorks(pkg)) {
  log(`tfjs-node already works (${pkg}); nothing to do.`);
  process.exit(0);
}
if (!flag('--no-download') && tryDownloadRoute(pkg) && addonWorks(pkg)) {
  log('tfjs-node installed from the prebuilt binary.');
  process.exit(0);
}
const wheel = findWheel();
if (!wheel) {
  fail('no prebuilt binary could be downloaded and no TensorFlow wheel was found on disk. Pass --wheel /path/to/tensorflow_cpu-2.x-...-linux_x86_64.whl');
}
log(`using TensorFlow wheel ${wheel}`);
unpackWheel(wheel, pkg);
rebuildAddon(pkg);
if (!addonWorks(pkg)) fail('the rebuilt addon does not load; see the messages above.');
log('tfjs-node built from source against the wheel; backend "tensorflow" works.');
