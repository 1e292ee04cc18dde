import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's recommended defaults. */
export const hashPassword = (password: string) => hash(password);
export const verifyPassword = async (passwordHash: string, password: string) => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};
