import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { ChannelAvailability } from '../../../domain/availability';
import type { ApiClient } from '../../common/api';
import { offlineApi } from '../../common/offlineApi';

/** Issue 19: the channel's online / away / offline state for the chat header: read once, then kept live by `channel:availability`. */
export const useAvailabilityStore = defineStore('availability', () => {
  const current = ref<ChannelAvailability | null>(null);

  async function load(api: ApiClient, channel: string) {
    try {
      current.value = await offlineApi.availability(api, channel);
    } catch {
      current.value = null; // the header then simply shows no availability
    }
  }

  function apply(a: ChannelAvailability) {
    if (!current.value || current.value.channel === a.channel) current.value = a;
  }

  return { current, load, apply };
});
