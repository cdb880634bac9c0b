// Locations (`fs:/path`, bare absolute paths, refused schemes) and the local-filesystem test.
import t from 'tap';
import { isLocalFilesystem, parseLocation, remoteFilesystemName } from '../../../daemon/storage/index.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('parseLocation accepts fs: and absolute paths', async (t) => {
  const ok: Array<[string, string]> = [
    ['/srv/backup', '/srv/backup'],
    ['fs:/srv/backup', '/srv/backup'],
    ['FS:/srv/backup', '/srv/backup'],
    ['/srv/backup/', '/srv/backup'],
    ['/srv//a/./b/../c', '/srv/a/c'],
    ['fs://srv/x', '/srv/x'],
    ['/', '/'],
    ['/with:colon', '/with:colon'],
  ];
  for (const [loc, path] of ok) t.same(parseLocation(loc), { scheme: 'fs', path }, loc);
});

t.test('parseLocation refuses other schemes and relative paths', async (t) => {
  for (const loc of ['s3:bucket/x', 'sftp:host:/x', 'rest:http://x', 'relative/dir', 'fs:relative', '', 'fs:', '/a\0b']) {
    t.throws(() => parseLocation(loc), { code: 'invalid_params', params: { location: { code: /./, message: /./ } } }, JSON.stringify(loc));
  }
});

t.test('a temp directory is on a local filesystem', async (t) => {
  const dir = tmpDir(t);
  t.equal(await isLocalFilesystem(dir), true);
  t.equal(await remoteFilesystemName(dir), null);
  await t.rejects(isLocalFilesystem(`${dir}/missing`), { code: 'not-found' });
});
