// ZipTamper: copies an OFD (zip) and changes one entry, for the negative cases of run_interop.sh.
//   java ZipTamper.java IN OUT ENTRY_REGEX flip OFFSET          XOR the byte at OFFSET (negative: from the end) with 1
//   java ZipTamper.java IN OUT ENTRY_REGEX replace OLDHEX NEWHEX  replace the first occurrence of OLDHEX
// ENTRY_REGEX is matched against whole entry names; the first match is changed. Exit 1 if nothing changed.
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

public class ZipTamper {
  public static void main(String[] a) throws IOException {
    if (a.length != 5 && a.length != 6) {
      System.err.println("usage: ZipTamper IN OUT ENTRY_REGEX flip OFFSET | replace OLDHEX NEWHEX");
      System.exit(2);
    }
    boolean done = false;
    try (ZipInputStream in = new ZipInputStream(new FileInputStream(a[0]));
         ZipOutputStream out = new ZipOutputStream(new FileOutputStream(a[1]))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null;) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        byte[] b = buf.toByteArray();
        if (!done && !e.isDirectory() && e.getName().matches(a[2])) {
          b = change(b, a);
          if (b != null) {
            done = true;
            System.out.println("ZipTamper: changed " + e.getName());
          } else {
            b = buf.toByteArray();
          }
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(b);
        out.closeEntry();
      }
    }
    if (!done) {
      System.err.println("ZipTamper: nothing changed");
      System.exit(1);
    }
  }

  static byte[] change(byte[] b, String[] a) {
    if (a[3].equals("flip")) {
      int off = Integer.parseInt(a[4]);
      if (off < 0) off += b.length;
      if (off < 0 || off >= b.length) return null;
      b[off] ^= 1;
      return b;
    }
    byte[] old = HexFormat.of().parseHex(a[4]);
    byte[] neu = HexFormat.of().parseHex(a[5]);
    for (int i = 0; i + old.length <= b.length; i++) {
      boolean hit = true;
      for (int j = 0; j < old.length && hit; j++) hit = b[i + j] == old[j];
      if (hit) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, i);
        o.write(neu, 0, neu.length);
        o.write(b, i + old.length, b.length - i - old.length);
        return o.toByteArray();
      }
    }
    return null;
  }
}
