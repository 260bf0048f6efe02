<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DatasetBrowser</name>
    <message>
        <source>Training images</source>
        <translation>训练集图像</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>测试集图像</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>换一批</translation>
    </message>
    <message>
        <source>Show other random samples</source>
        <translation>随机显示另一批样本</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <source>No dataset loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <source>{name}: {count} images in this split, {classes} classes, each {c}×{h}×{w}</source>
        <translation>{name}：此部分共 {count} 张图像，{classes} 个类别，每张 {c}×{h}×{w}</translation>
    </message>
    <message>
        <source>No images of this class in this split.</source>
        <translation>此部分中没有该类别的图像。</translation>
    </message>
</context>
<context>
    <name>SampleGrid</name>
    <message>
        <source>Preparing the samples…</source>
        <translation>正在准备样本…</translation>
    </message>
</context>
</TS>
