// Images: the binary format (format.ts), its typed errors (errors.ts) and the image ID (image-id.ts).
export { IMAGE_FORMAT_VERSION, IMAGE_MAGIC, parseImage, serializeImage, type Image } from "./format.ts";
export { ImageError, isImageError, type ImageErrorKind } from "./errors.ts";
export {
  computeImageId,
  imageIdParts,
  parseImageId,
  toHex,
  MEMORY_TREE_DEPTH,
  PAGE_BYTES,
  EMPTY_MEMORY_SUBTREE,
  openMemoryPage,
  verifyMemoryPage,
  type PageOpening,
  type ImageId,
  type ImageIdParts,
} from "./image-id.ts";
