// What an uploaded file really is, from its first bytes: the name and the browser's MIME type are whatever the
// sender says, so a text file called photo.png must not pass. Only the three formats every browser shows are
// accepted, and the pixel size comes from the same header (for width/height attributes that stop layout shifts).

export type ImageType = "jpeg" | "png" | "webp";
export type ImageHeader = { type: ImageType; width: number; height: number };

export const IMAGE_EXTENSIONS: Record<ImageType, string> = { jpeg: "jpg", png: "png", webp: "webp" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: number[], offset = 0) {
  return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number) {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function png(bytes: Uint8Array, view: DataView): ImageHeader | null {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== "IHDR") return null;
  return { type: "png", width: view.getUint32(16), height: view.getUint32(20) };
}

// Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** EXIF orientations 5–8 rotate by a quarter turn; browsers apply them, so the shown width is the stored height. */
function exifTurnsQuarter(bytes: Uint8Array, view: DataView, start: number, end: number) {
  if (ascii(bytes, start, 6) !== "Exif\0\0") return false;
  const tiff = start + 6;
  if (tiff + 8 > end) return false;
  const little = ascii(bytes, tiff, 2) === "II";
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return false;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return false;
    if (view.getUint16(entry, little) === 0x0112) return view.getUint16(entry + 8, little) >= 5;
  }
  return false;
}

function jpeg(bytes: Uint8Array, view: DataView): ImageHeader | null {
  let offset = 2;
  let quarterTurn = false;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (length < 2) return null;
    if (marker === 0xe1 && !quarterTurn)
      quarterTurn = exifTurnsQuarter(bytes, view, offset + 4, Math.min(offset + 2 + length, bytes.length));
    if (SOF_MARKERS.has(marker)) {
      if (offset + 9 > bytes.length) return null;
      const height = view.getUint16(offset + 5);
      const width = view.getUint16(offset + 7);
      return quarterTurn ? { type: "jpeg", width: height, height: width } : { type: "jpeg", width, height };
    }
    // Scan data follows start-of-scan; a frame header after it would be no baseline or progressive JPEG.
    if (marker === 0xda || marker === 0xd9) return null;
    offset += 2 + length;
  }
  return null;
}

function webp(bytes: Uint8Array, view: DataView): ImageHeader | null {
  if (bytes.length < 30 || ascii(bytes, 8, 4) !== "WEBP") return null;
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8 " && startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) {
    return { type: "webp", width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === "VP8L" && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return { type: "webp", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") {
    const uint24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    return { type: "webp", width: uint24(24) + 1, height: uint24(27) + 1 };
  }
  return null;
}

/** The format and pixel size of a JPEG, PNG or WebP file; null for anything else, or a header cut short. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: ImageHeader | null = null;
  if (startsWith(bytes, PNG_SIGNATURE)) header = png(bytes, view);
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) header = jpeg(bytes, view);
  else if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46])) header = webp(bytes, view);
  return header && header.width > 0 && header.height > 0 ? header : null;
}
