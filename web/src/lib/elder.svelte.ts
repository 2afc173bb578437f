import { browser } from '$app/environment';

const storageKey = 'tongxin.elder';

/** 长辈版 (elder mode): larger text and targets, stronger contrast; remembered on this device. */
class ElderMode {
  on = $state(browser && localStorage.getItem(storageKey) === '1');

  set(on: boolean) {
    this.on = on;
    localStorage.setItem(storageKey, on ? '1' : '0');
  }
}

export const elder = new ElderMode();
