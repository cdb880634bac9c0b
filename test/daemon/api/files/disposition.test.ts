// Content-Disposition (RFC 6266 with RFC 8187's filename*): an ASCII fallback and the
// UTF-8 name percent-encoded; quotes, backslashes and control characters never raw.
import t from 'tap';
import { baseName, contentDisposition } from '../../../../daemon/api/files/disposition.js';

t.test('Content-Disposition', async (t) => {
  t.equal(contentDisposition('attachment', 'report.pdf'), 'attachment; filename="report.pdf"; filename*=UTF-8\'\'report.pdf');
  t.equal(contentDisposition('attachment', 'café é.txt'), 'attachment; filename="caf_ _.txt"; filename*=UTF-8\'\'caf%C3%A9%20%C3%A9.txt');
  t.equal(contentDisposition('inline', 'a"b\\c\r\n.txt'), 'inline; filename="a_b_c__.txt"; filename*=UTF-8\'\'a%22b%5Cc%0D%0A.txt');
  t.equal(contentDisposition('attachment', Buffer.from([0x61, 0xff])), 'attachment; filename="a_"; filename*=UTF-8\'\'a%EF%BF%BD', 'invalid UTF-8: U+FFFD');
  t.equal(contentDisposition('attachment', ''), 'attachment; filename="download"; filename*=UTF-8\'\'download');
  t.same(baseName(Buffer.from('/a/b/c.txt')), Buffer.from('c.txt'));
  t.same(baseName(Buffer.from('/')), Buffer.alloc(0));
});
