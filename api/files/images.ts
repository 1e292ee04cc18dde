import sharp from 'sharp';
import { THUMBNAIL_BOX } from '../../domain/files.js';

export interface ProcessedImage {
  /** The image to store: re-encoded upright, without EXIF/XMP/ICC metadata (GPS positions, camera serials). */
  data: Buffer;
  width: number;
  height: number;
  thumbnail: { data: Buffer; width: number; height: number; mime: 'image/webp' };
}

export class ImageError extends Error {
  constructor(readonly reason: 'too-large' | 'unreadable', message: string) {
    super(message);
  }
}

// One image at a time per process is plenty for a chat desk, and bounds decode memory on small machines.
sharp.concurrency(1);
// Nothing is decoded twice: keep no decoded images in memory between uploads.
sharp.cache(false);

/**
 * Decodes an uploaded image with a bound on its pixel count (a tiny file can decode to gigabytes),
 * rotates it upright by its EXIF orientation, strips its metadata and makes a thumbnail.
 * GIFs keep their frames (animated); the others are re-encoded in their own format.
 */
export async function processImage(bytes: Buffer, mime: string, maxPixels: number): Promise<ProcessedImage> {
  const animated = mime === 'image/gif' || mime === 'image/webp';
  const input = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', ...(animated ? { animated: true } : {}) });
  try {
    const meta = await input().metadata();
    const frameHeight = meta.pageHeight ?? meta.height;
    if (meta.width * frameHeight > maxPixels) throw new ImageError('too-large', 'too many pixels');
    const upright = input().rotate();
    const encoded = mime === 'image/png' ? upright.png()
      : mime === 'image/jpeg' ? upright.jpeg({ quality: 90 })
        : mime === 'image/webp' ? upright.webp({ quality: 90 })
          : upright.gif();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data, { limitInputPixels: maxPixels, ...(animated ? { animated: false } : {}) })
      .resize(THUMBNAIL_BOX, THUMBNAIL_BOX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer({ resolveWithObject: true });
    return {
      data,
      width: info.width,
      height: info.pageHeight ?? info.height,
      thumbnail: { data: thumb.data, width: thumb.info.width, height: thumb.info.height, mime: 'image/webp' },
    };
  } catch (err) {
    if (err instanceof ImageError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) throw new ImageError('too-large', message);
    throw new ImageError('unreadable', message);
  }
}
