import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { readImageHeader } from "~/domain/cooperative/image-header";

// CPython's imghdr test pictures: the same 16 × 16 image as a JFIF JPEG and an extended (VP8X) WebP.
const JPEG_16 = Buffer.from(
  "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z",
  "base64",
);
const WEBP_16 = Buffer.from(
  "UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTleucYX+ffKpmImP90cY3gJjDi4Yt3MsjBEVyDKzDosHgVjnhRNcEIDAJPkqBqsFUZHNa2bUYvTsZ2PLbtd/uvKa4hov9J0f2PkPe6REkkGzolkTTzFG0Ox9PlFiD0CxS+kOGDtxoynjaCfx0pfk52CPuInrOR75lzRugygtv4zEiy90UwfSD9NheMITJWLaXWayO8XeOlWRXVnIGk2W6WdYoYMQ+KqixQNPowgt+6a1BSKbUtz+lUFAoBAAAAVlA4IL4AAACQAgCdASoQABAAAwA0JbACdDBPCIUMfAMdCCz96AD+/XSg/QKbH4r3Q3ycN/bSDK/T/zVo4u6nvclvG/SqxWOuup+XhN9BojvaW+Tv+MvxvX/hr/o/5Qns9LtmX/+qKdl/yWznhuasl7nkxvSTI4xf3Y85VSB/lU/8Ofj/b9JrA+ifvIOYZm2x1RP/dhfmsf5diuSfR7+z+r/+HR3zEo/+XM/B+vkYw73Pzx+ROaAB/ZoBSzEs3rzZe6qsAAAA",
  "base64",
);

function png(width: number, height: number) {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

/** The JPEG above made 16 wide and 8 high, with an EXIF segment saying "rotate a quarter turn" (orientation 6). */
function rotatedJpeg(little: boolean) {
  const body = Buffer.from(JPEG_16);
  body.writeUInt16BE(8, 0xa3);
  const tiff = Buffer.alloc(26);
  tiff.write(little ? "II" : "MM", 0, "latin1");
  const u16 = (value: number, at: number) => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at));
  const u32 = (value: number, at: number) => (little ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at));
  u16(42, 2);
  u32(8, 4);
  u16(1, 8);
  u16(0x0112, 10);
  u16(3, 12);
  u32(1, 14);
  u16(6, 18);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([body.subarray(0, 2), app1, payload, body.subarray(2)]);
}

function losslessWebp(width: number, height: number) {
  const bytes = Buffer.alloc(30);
  bytes.write("RIFF", 0, "latin1");
  bytes.writeUInt32LE(22, 4);
  bytes.write("WEBPVP8L", 8, "latin1");
  bytes.writeUInt32LE(10, 16);
  bytes[20] = 0x2f;
  bytes.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
  return bytes;
}

describe("readImageHeader", () => {
  it("reads the type and pixel size of PNG, JPEG and WebP (lossy, lossless, extended)", () => {
    expect(readImageHeader(png(3, 2))).toEqual({ type: "png", width: 3, height: 2 });
    expect(readImageHeader(JPEG_16)).toEqual({ type: "jpeg", width: 16, height: 16 });
    expect(readImageHeader(WEBP_16)).toEqual({ type: "webp", width: 16, height: 16 });
    expect(readImageHeader(losslessWebp(640, 480))).toEqual({ type: "webp", width: 640, height: 480 });
    const simple = WEBP_16.subarray(WEBP_16.indexOf("VP8 ") - 12);
    const lossy = Buffer.concat([Buffer.from("RIFF\0\0\0\0WEBP", "latin1"), simple.subarray(12)]);
    expect(readImageHeader(lossy)).toEqual({ type: "webp", width: 16, height: 16 });
  });

  it("gives the size as shown when EXIF says the photo is turned a quarter, in either byte order", () => {
    expect(readImageHeader(rotatedJpeg(true))).toEqual({ type: "jpeg", width: 8, height: 16 });
    expect(readImageHeader(rotatedJpeg(false))).toEqual({ type: "jpeg", width: 8, height: 16 });
  });

  it("refuses what only claims to be an image: text, other formats, headers cut short", () => {
    for (const bytes of [
      Buffer.from("just some text, saved as photo.png"),
      Buffer.from("GIF89a\x10\0\x10\0", "latin1"),
      Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      png(3, 2).subarray(0, 20),
      JPEG_16.subarray(0, 100),
      WEBP_16.subarray(0, 20),
      Buffer.alloc(0),
    ]) {
      expect(readImageHeader(bytes)).toBeNull();
    }
  });
});
