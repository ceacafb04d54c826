/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.jpeg';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

/** WeChat cloud environment id (config/index.ts defineConstants). */
declare const CLOUD_ENV: string;
/** Origin of the local cloud's gateway for H5; '' = same origin (config/index.ts defineConstants). */
declare const LOCAL_CLOUD_URL: string;
/** Subscribe-message template ids by name, from config/subscribe-messages.json (config/index.ts defineConstants). */
declare const SUBSCRIBE_TEMPLATE_IDS: Record<'payment_result' | 'window_open' | 'window_closing' | 'dispute_result' | 'document_result', string>;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5' | string;
  }
}
