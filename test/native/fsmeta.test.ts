// native/src/fsmeta.c and xattr.c on real files under /var/tmp.
import t from 'tap';
import { closeSync, constants, fsyncSync, ftruncateSync, lstatSync, openSync, symlinkSync,
  writeFileSync, writeSync } from 'node:fs';
import { constants as osConstants, userInfo } from 'node:os';
import { join } from 'node:path';
import { fgetxattrs, flock, fsetxattr, futimens, getgrgid, getpwuid, lgetxattrs, lsetxattr,
  mkfifo, mknod, seekData, seekHole, utimensat, type NativeErrnoError, type Timespec } from '../../native/index.js';
import { varTmpDir } from './var-tmp.js';

const isRoot = process.getuid?.() === 0;
const ns = ([s, n]: Timespec) => s * 1_000_000_000n + BigInt(n);

function open(t: { teardown(fn: () => void): void }, path: string | Buffer, flags = 'r'): number {
  const fd = openSync(path, flags);
  t.teardown(() => closeSync(fd));
  return fd;
}

t.test('utimensat sets nanosecond times before 1970 and after 2100', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'f');
  writeFileSync(file, 'x');
  const cases: Array<[Timespec, Timespec]> = [
    [[-1_234_567_890n, 123_456_789], [4_102_444_800n + 12_345n, 999_999_999]], // 1930, 2100
    [[0n, 1], [-1n, 999_999_999]],
    [[1_700_000_000n, 0], [7_258_118_400n, 500]], // 2200
  ];
  for (const [atime, mtime] of cases) {
    utimensat(file, atime, mtime, false);
    const st = lstatSync(file, { bigint: true });
    t.equal(st.atimeNs, ns(atime), `atime ${atime}`);
    t.equal(st.mtimeNs, ns(mtime), `mtime ${mtime}`);
  }
});

t.test('utimensat with noFollow sets a symlink\'s own times, not its target\'s', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'target');
  const link = join(dir, 'link');
  writeFileSync(file, 'x');
  symlinkSync('target', link);
  const before = lstatSync(file, { bigint: true }).mtimeNs;
  const atime: Timespec = [-86_400n * 365n * 10n, 42];
  const mtime: Timespec = [4_200_000_000n, 7];
  utimensat(Buffer.from(link), atime, mtime, true);
  const st = lstatSync(link, { bigint: true });
  t.ok(st.isSymbolicLink());
  t.equal(st.atimeNs, ns(atime));
  t.equal(st.mtimeNs, ns(mtime));
  t.equal(lstatSync(file, { bigint: true }).mtimeNs, before, 'target untouched');
  utimensat(link, atime, mtime, false);
  t.equal(lstatSync(file, { bigint: true }).mtimeNs, ns(mtime), 'without noFollow the target changes');
});

t.test('futimens sets times through an fd', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'f');
  writeFileSync(file, 'x');
  const fd = open(t, file, 'r+');
  futimens(fd, [-5n, 5], [5_000_000_000n, 123]);
  const st = lstatSync(file, { bigint: true });
  t.equal(st.atimeNs, -5n * 1_000_000_000n + 5n);
  t.equal(st.mtimeNs, 5_000_000_000n * 1_000_000_000n + 123n);
});

t.test('errors look like Node fs errors; Buffer paths keep invalid UTF-8', async (t) => {
  const dir = varTmpDir(t);
  const name = Buffer.concat([Buffer.from(dir + '/bad-'), Buffer.from([0xff, 0xfe])]);
  writeFileSync(name, 'x');
  utimensat(name, [1n, 2], [3n, 4], true);
  t.equal(lstatSync(name, { bigint: true }).mtimeNs, 3_000_000_004n, 'the raw-bytes name was used');
  const missing = join(dir, 'missing');
  try {
    utimensat(missing, [0n, 0], [0n, 0], false);
    t.fail('no error');
  } catch (e) {
    const err = e as NativeErrnoError;
    t.ok(err instanceof Error);
    t.equal(err.code, 'ENOENT');
    t.equal(err.errno, -osConstants.errno.ENOENT);
    t.equal(err.syscall, 'utimensat');
    t.equal(err.path, missing);
    t.match(err.message, /^ENOENT: .*, utimensat '.*missing'$/);
  }
  t.throws(() => utimensat(join(dir, 'a\0b'), [0n, 0], [0n, 0], false), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => utimensat(name, [0n, 1_000_000_000], [0n, 0], false), RangeError);
  t.throws(() => utimensat(name, [0n, -1], [0n, 0], false), RangeError);
  t.throws(() => futimens(-1, [0n, 0], [0n, 0]), { code: 'EBADF', syscall: 'futimens' });
});

t.test('mknod makes character and block devices with rdev unchanged', { skip: !isRoot && 'needs root' }, async (t) => {
  const dir = varTmpDir(t);
  const nullRdev = lstatSync('/dev/null', { bigint: true }).rdev;
  mknod(join(dir, 'null'), constants.S_IFCHR | 0o640, nullRdev);
  const c = lstatSync(join(dir, 'null'), { bigint: true });
  t.ok(c.isCharacterDevice());
  t.equal(c.rdev, nullRdev);
  t.equal(Number(c.mode) & 0o7777, 0o640 & Number(c.mode), 'mode bits within 0o640');
  // major 300, minor 70000: glibc's dev_t spreads both over 64 bits.
  const big = (300n & 0xfffn) << 8n | (300n & ~0xfffn) << 32n | (70000n & 0xffn) | (70000n & ~0xffn) << 12n;
  mknod(Buffer.from(join(dir, 'blk')), constants.S_IFBLK | 0o600, big);
  const b = lstatSync(join(dir, 'blk'), { bigint: true });
  t.ok(b.isBlockDevice());
  t.equal(b.rdev, big);
  t.throws(() => mknod(join(dir, 'null'), constants.S_IFCHR | 0o600, nullRdev), { code: 'EEXIST', syscall: 'mknod' });
});

t.test('mknod S_IFIFO and mkfifo make FIFOs', async (t) => {
  const dir = varTmpDir(t);
  mkfifo(join(dir, 'fifo'), 0o640);
  const st = lstatSync(join(dir, 'fifo'));
  t.ok(st.isFIFO());
  t.equal(st.mode & 0o777 & ~0o640, 0, 'no bits beyond the requested mode');
  t.equal(st.mode & 0o600, 0o600, 'owner bits kept');
  mknod(join(dir, 'fifo2'), constants.S_IFIFO | 0o600, 0n);
  t.ok(lstatSync(join(dir, 'fifo2')).isFIFO());
  t.throws(() => mkfifo(join(dir, 'fifo'), 0o600), { code: 'EEXIST', syscall: 'mkfifo' });
});

t.test('xattrs: set and list on a file, sorted by name bytes, through path and fd', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'f');
  writeFileSync(file, 'x');
  t.same(lgetxattrs(file), [], 'none yet');
  const values: Array<[string, Buffer]> = [
    ['user.zeta', Buffer.from([0, 1, 2, 0xff])],
    ['user.alpha', Buffer.from('first')],
    ['user.Beta', Buffer.alloc(0)],
    ['user.big', Buffer.alloc(3000, 7)], // ext4 without ea_inode: one block
  ];
  for (const [k, v] of values) lsetxattr(file, Buffer.from(k), v);
  const want = values.map(([k, v]) => [Buffer.from(k), v]).sort((a, b) => Buffer.compare(a[0]!, b[0]!));
  t.same(lgetxattrs(file), want);
  t.same(lgetxattrs(Buffer.from(file)), want);
  const fd = open(t, file, 'r+');
  t.same(fgetxattrs(fd), want);
  fsetxattr(fd, Buffer.from('user.viafd'), Buffer.from('v'));
  t.same(lgetxattrs(file).map(([k]) => k.toString()), ['user.Beta', 'user.alpha', 'user.big', 'user.viafd', 'user.zeta']);
  t.throws(() => lsetxattr(file, Buffer.from('nonamespace'), Buffer.from('v')), { code: 'EOPNOTSUPP', syscall: 'lsetxattr' });
  t.throws(() => lgetxattrs(join(dir, 'missing')), { code: 'ENOENT', syscall: 'llistxattr' });
});

t.test('xattrs on a symlink itself (trusted.*)', { skip: !isRoot && 'needs root' }, async (t) => {
  const dir = varTmpDir(t);
  writeFileSync(join(dir, 'target'), 'x');
  symlinkSync('target', join(dir, 'link'));
  lsetxattr(join(dir, 'link'), Buffer.from('trusted.cairn'), Buffer.from([1, 2, 3]));
  t.same(lgetxattrs(join(dir, 'link')), [[Buffer.from('trusted.cairn'), Buffer.from([1, 2, 3])]]);
  t.same(lgetxattrs(join(dir, 'target')), [], 'the target has none');
});

t.test('seekData and seekHole find the data in a sparse file', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'sparse');
  const MiB = 1024 * 1024;
  const fd = open(t, file, 'w+');
  ftruncateSync(fd, 16 * MiB);
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 8 * MiB);
  fsyncSync(fd);
  t.equal(seekData(fd, 0), 8 * MiB);
  t.equal(seekData(fd, 8 * MiB + 100), 8 * MiB + 100);
  t.equal(seekHole(fd, 0), 0);
  t.equal(seekHole(fd, 8 * MiB), 8 * MiB + 4096);
  t.equal(seekData(fd, 8 * MiB + 4096), -1, 'no data after the block');
  t.equal(seekHole(fd, 16 * MiB), -1, 'at the end');
  t.throws(() => seekData(fd, -1), RangeError);
  t.throws(() => seekData(-1, 0), { code: 'EBADF', syscall: 'lseek' });
});

t.test('flock: exclusive locks conflict between open file descriptions', async (t) => {
  const dir = varTmpDir(t);
  const file = join(dir, 'lock');
  writeFileSync(file, '');
  const a = open(t, file);
  const b = open(t, file);
  t.equal(flock(a, 'ex', true), true);
  t.equal(flock(b, 'ex', true), false, 'held by a');
  t.equal(flock(b, 'sh', true), false, 'shared waits for exclusive too');
  t.equal(flock(a, 'un', false), true);
  t.equal(flock(b, 'ex', true), true, 'free after unlock');
  t.equal(flock(b, 'un', false), true);
  t.equal(flock(a, 'sh', true), true);
  t.equal(flock(b, 'sh', false), true, 'shared with shared');
  t.equal(flock(b, 'ex', true), false);
  t.throws(() => flock(-1, 'ex', true), { code: 'EBADF', syscall: 'flock' });
  t.throws(() => flock(a, 'bad' as 'ex', true), TypeError);
});

t.test('getpwuid and getgrgid', async (t) => {
  t.equal(getpwuid(0), 'root');
  t.equal(getgrgid(0), 'root');
  t.equal(getpwuid(process.getuid!()), userInfo().username);
  t.equal(getpwuid(4_123_456_789), null);
  t.equal(getgrgid(4_123_456_789), null);
  t.throws(() => getpwuid(-1), RangeError);
});
