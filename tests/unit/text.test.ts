import { describe, expect, it } from 'vitest';
import { foldVietnamese, likeLiteral } from '../../src/lib/text.js';

describe('foldVietnamese', () => {
  it('removes tones and marks, folds đ and case', () => {
    expect(foldVietnamese('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(foldVietnamese('Cấp Giấy chứng nhận quyền sử dụng đất')).toBe('cap giay chung nhan quyen su dung dat');
    expect(foldVietnamese('  Chứng   thực ')).toBe('chung thuc');
  });
  it('gives the same result for composed and decomposed input', () => {
    expect(foldVietnamese('Hội An'.normalize('NFD'))).toBe(foldVietnamese('Hội An'.normalize('NFC')));
  });
  it('escapes LIKE wildcards', () => {
    expect(likeLiteral('50%_x\\')).toBe('50\\%\\_x\\\\');
  });
});
